"""Version counters of the current store in the default cache: one integer per key that writes
move on, so everything derived from an old value (cached pages, memoised configuration) is
known to be stale without finding and deleting it.

The default cache's keys are tenant-aware (django_tenants.cache.make_key): each store has its
own counter under the same key. Used by apps.catalog.cache (catalog and stock versions) and
apps.core.store_config (the configuration version).
"""

import time

from django.core.cache import cache


def _first_version() -> int:
    # A counter that starts again (new store, Redis flushed or the key evicted) starts at the
    # clock in microseconds, above any value it reached before: a version is never reused, so
    # anything keyed by an old version (pages, product documents in the database, memoised
    # configuration) stays stale.
    return time.time_ns() // 1000


def version_current(key: str) -> int:
    """The counter's value, started (see _first_version) when there is none."""
    version = cache.get(key)
    if version is None:
        # add() is a no-op when a concurrent writer got there first.
        cache.add(key, _first_version(), timeout=None)
        version = cache.get(key)
    return int(version)


def version_bump(key: str) -> int:
    """Move the counter on (atomic INCR in Redis); the new value."""
    try:
        return int(cache.incr(key))
    except ValueError:  # no counter yet
        cache.add(key, _first_version(), timeout=None)
        return int(cache.incr(key))
