"""Every write about *which* store. Import from here: `from tenants import services`."""

from tenants.services.lifecycle import (
    StoreProfile,
    store_delete,
    store_profile_clean,
    store_reactivate,
    store_suspend,
    store_update,
)
from tenants.services.pool import (
    PoolStatus,
    pool_drain,
    pool_fill,
    pool_status,
    pool_take,
    template_clone_into,
    template_ensure,
)
from tenants.services.provisioning import ProvisionedStore, ProvisionStrategy, store_provision
from tenants.services.slugs import (
    POOL_SCHEMA_PREFIX,
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    SLUG_MIN_LENGTH,
    STORE_SCHEMA_PREFIX,
    schema_name_for_slug,
    slug_normalize,
    slug_taken,
    slug_validate,
)

__all__ = [
    "POOL_SCHEMA_PREFIX",
    "RESERVED_SLUGS",
    "SLUG_MAX_LENGTH",
    "SLUG_MIN_LENGTH",
    "STORE_SCHEMA_PREFIX",
    "PoolStatus",
    "ProvisionStrategy",
    "ProvisionedStore",
    "StoreProfile",
    "pool_drain",
    "pool_fill",
    "pool_status",
    "pool_take",
    "schema_name_for_slug",
    "slug_normalize",
    "slug_taken",
    "slug_validate",
    "store_delete",
    "store_profile_clean",
    "store_provision",
    "store_reactivate",
    "store_suspend",
    "store_update",
    "template_clone_into",
    "template_ensure",
]
