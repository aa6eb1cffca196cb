"""The catalog version of the current store: one integer that every catalog write bumps.

Storefront page caches and API caches put it in their keys, so a write makes every cached page
of that store stale at once without finding and deleting keys. The default cache's keys are
tenant-aware (django_tenants.cache.make_key), so each store has its own counter.
"""

import time

from django.core.cache import cache

# Public: the storefront page cache reads it together with its page entry in one round trip.
VERSION_KEY = "catalog:version"


def _first_version() -> int:
    # A counter that starts again (new store, Redis flushed or the key evicted) starts at the
    # clock in microseconds, above any value it reached before: a version is never reused, so
    # anything keyed by an old version (pages, product documents in the database) stays stale.
    return time.time_ns() // 1000


def catalog_version() -> int:
    """The current version."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() is a no-op when a concurrent writer got there first.
        cache.add(VERSION_KEY, _first_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def catalog_version_bump() -> int:
    """Move the version on (atomic INCR in Redis); the new version."""
    try:
        return int(cache.incr(VERSION_KEY))
    except ValueError:  # no counter yet
        cache.add(VERSION_KEY, _first_version(), timeout=None)
        return int(cache.incr(VERSION_KEY))


# Storefront pages also show availability, which stock movements change without touching the
# catalog: a second counter, kept the same way, that every stock change moves (on commit).
# Product documents (the API) carry no stock, so they depend on the catalog version only.
STOCK_VERSION_KEY = "stock:version"


def stock_version() -> int:
    version = cache.get(STOCK_VERSION_KEY)
    if version is None:
        cache.add(STOCK_VERSION_KEY, _first_version(), timeout=None)
        version = cache.get(STOCK_VERSION_KEY)
    return int(version)


def stock_version_bump() -> int:
    try:
        return int(cache.incr(STOCK_VERSION_KEY))
    except ValueError:
        cache.add(STOCK_VERSION_KEY, _first_version(), timeout=None)
        return int(cache.incr(STOCK_VERSION_KEY))
