"""Tests: real PostgreSQL and real Redis (see README, "Tests")."""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, REST_FRAMEWORK, SIMPLE_JWT, env

SECRET_KEY = "test-only-key-0123456789abcdef0123456789abcdef"  # noqa: S105
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; argon2 in prod
# pytest-django forces locmem in the test process anyway; the env vars serve the real worker
# that tests/test_celery_worker.py starts (it writes its mail to files).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
STORE_POOL_SIZE = env.int("STORE_POOL_SIZE", default=0)
TENANT_ROUTING_CHECK_INTERVAL = 0.0
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "store": "100000/min",
    "client": "100000/min",
    "auth": "100000/min",
}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
# pytest-xdist workers share one Redis: each gets its own key space.
_WORKER = env("PYTEST_XDIST_WORKER", default="")
for _alias, _prefix in (("default", "pyc-test"), ("platform", "pyc-test-platform")):
    CACHES[_alias] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{_prefix}{_WORKER}",
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
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
# The browser tests run gunicorn without collectstatic: serve static files from the finders.
WHITENOISE_USE_FINDERS = True
# ...and look files up per request rather than scanning a STATIC_ROOT that tests never build.
WHITENOISE_AUTOREFRESH = True
