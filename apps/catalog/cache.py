"""The catalog version of the current store: one integer that every catalog write bumps.

Storefront page caches and API caches put it in their keys, so a write makes every cached page
of that store stale at once without finding and deleting keys. The counters are kept by
apps.core.versions (per store, never reused).
"""

from apps.core.versions import version_bump, version_current

# Public: the storefront page cache reads it together with its page entry in one round trip.
VERSION_KEY = "catalog:version"


def catalog_version() -> int:
    """The current version."""
    return version_current(VERSION_KEY)


def catalog_version_bump() -> int:
    """Move the version on; the new version."""
    return version_bump(VERSION_KEY)


# Storefront pages also show availability, which stock movements change without touching the
# catalog: a second counter, kept the same way, that every stock change moves (on commit).
# Product documents (the API) carry no stock, so they depend on the catalog version only.
STOCK_VERSION_KEY = "stock:version"


def stock_version() -> int:
    return version_current(STOCK_VERSION_KEY)


def stock_version_bump() -> int:
    return version_bump(STOCK_VERSION_KEY)
