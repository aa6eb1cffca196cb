"""Settings for bench/catalog.py: the real app settings (whole middleware list, Redis cache,
throttles on) with a bench-only URL for the ceiling view and its own cache key prefix.

What differs from production, and why:
- DEBUG off and persistent connections (CONN_MAX_AGE=None), as a long-lived worker runs
  between recycles;
- the API throttle rates are raised so wrk's thousands of requests a second from one address
  are served, not refused: the throttle classes still run (their Redis round trips are part of
  every API request);
- cache keys carry the prefix `pyc-bench-catalog`, which the script deletes at the end;
- no Celery broker (tasks run in process), dummy email, the fast test password hasher
  (the bench store's owner is created once, never logs in).
"""

import warnings

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES, REST_FRAMEWORK

SECRET_KEY = "bench-only-key-0123456789abcdef0123456789abcdef0123456789"
DEBUG = False
ROOT_URLCONF = "bench.urls_catalog"
DATABASES["default"]["CONN_MAX_AGE"] = None
CACHE_KEY_PREFIX = "pyc-bench-catalog"
for _alias, _suffix in (("default", ""), ("platform", "-platform")):
    CACHES[_alias]["KEY_PREFIX"] = f"{CACHE_KEY_PREFIX}{_suffix}"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "store": "100000000/min",
    "client": "100000000/min",
    "auth": "100000000/min",
}
STORE_POOL_SIZE = 0
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
# The bench serves no static files (wrk fetches pages only); no collectstatic is run.
warnings.filterwarnings("ignore", message="No directory at: ")
