"""Tests: real PostgreSQL and real Redis (see README, "Tests")."""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, REST_FRAMEWORK, SIMPLE_JWT, env

SECRET_KEY = "test-only-key-0123456789abcdef0123456789abcdef"  # noqa: S105
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; argon2 in prod
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORE_POOL_SIZE = env.int("STORE_POOL_SIZE", default=0)
TENANT_ROUTING_CHECK_INTERVAL = 0.0
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "store": "100000/min",
    "client": "100000/min",
    "auth": "100000/min",
}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
for _alias, _prefix in (("default", "pyc-test"), ("platform", "pyc-test-platform")):
    CACHES[_alias] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": _prefix,
        **(
            {
                "KEY_FUNCTION": "django_tenants.cache.make_key",
                "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
            }
            if _alias == "default"
            else {}
        ),
    }
# Tests queue tasks eagerly unless a test starts its own worker (tests/test_celery_worker.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
