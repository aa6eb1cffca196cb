"""Settings for bench/checkout.py: the real app settings (whole middleware list, Redis cache,
throttles on, Celery tasks queued on Redis) with bench/catalog.py's URL conf (every store URL
plus `/bench/ping/`, which tells the script the server is up) and its own cache key prefix.

What differs from production, and why:
- DEBUG off and persistent connections (CONN_MAX_AGE=None), as a long-lived worker runs
  between recycles;
- the API throttle rates are raised so a few shoppers placing hundreds of orders a second from
  one address are served, not refused: the throttle classes still run;
- tasks (the order confirmation email) are queued on the bench's Redis db as in production,
  and no worker runs: the script purges the queue at the end;
- cache keys carry the prefix `pyc-bench-checkout`, which the script deletes at the end;
- dummy email, the fast test password hasher (no one signs in).
"""

import warnings

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES, REDIS_URL, REST_FRAMEWORK

SECRET_KEY = "bench-only-key-0123456789abcdef0123456789abcdef0123456789"
DEBUG = False
ROOT_URLCONF = "bench.urls_catalog"
DATABASES["default"]["CONN_MAX_AGE"] = None
CACHE_KEY_PREFIX = "pyc-bench-checkout"
for _alias, _suffix in (("default", ""), ("platform", "-platform")):
    CACHES[_alias]["KEY_PREFIX"] = f"{CACHE_KEY_PREFIX}{_suffix}"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "store": "100000000/min",
    "client": "100000000/min",
    "auth": "100000000/min",
}
STORE_POOL_SIZE = 0
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
warnings.filterwarnings("ignore", message="No directory at: ")
