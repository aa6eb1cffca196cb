"""The catalog version of the current store: one integer that every catalog write bumps.

Storefront page caches and API caches put it in their keys, so a write makes every cached page
of that store stale at once without finding and deleting keys. The default cache's keys are
tenant-aware (django_tenants.cache.make_key), so each store has its own counter.
"""

from django.core.cache import cache

# Public: the storefront page cache reads it together with its page entry in one round trip.
VERSION_KEY = "catalog:version"


def catalog_version() -> int:
    """The current version (1 for a store that has never been written to, or after a flush)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() is a no-op when a concurrent writer got there first.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def catalog_version_bump() -> int:
    """Move the version on (atomic INCR in Redis); the new version."""
    try:
        return int(cache.incr(VERSION_KEY))
    except ValueError:  # no counter yet (new store, or evicted): start above the default 1
        cache.add(VERSION_KEY, 1, timeout=None)
        return int(cache.incr(VERSION_KEY))
