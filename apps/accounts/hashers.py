from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

    Django's default (100 MiB, 8 lanes) costs ~90 ms and 100 MiB per hash on our 2-core
    machines: a login flood could then exhaust memory, and a signup spends most of its time
    hashing. The parameters live in each hash, so older hashes still verify (and are upgraded
    on the next login).
    """

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
