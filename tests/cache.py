"""Resetting the test cache without touching other pytest-xdist workers' keys.

`cache.clear()` would FLUSHDB the Redis database that all workers share.
"""

from django.conf import settings
from django_redis import get_redis_connection


def cache_reset() -> None:
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = get_redis_connection("default")
    # Tenant-aware keys look like "<schema>:<prefix>:<version>:<key>".
    keys = list(client.scan_iter(match=f"*:{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
