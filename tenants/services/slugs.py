"""Store addresses: <slug>.<BASE_DOMAIN>, and the schema name derived from a slug."""

import re

from django.conf import settings
from django_tenants.utils import schema_exists

from apps.core.exceptions import ApplicationError
from tenants.errors import StoreErrorCode
from tenants.models import Domain, Tenant

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40
# A DNS label: lower-case letters, digits and inner hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Host labels a store may not take: infrastructure names, our own words, schema prefixes.
RESERVED_SLUGS = frozenset(
    """
    www api admin static media public mail email smtp imap pop pop3 ftp ns ns1 ns2 mx
    template pool store stores app apps dashboard help support status docs blog billing
    signup login auth account accounts assets cdn localhost webmail root system
    operator pycommerce test demo-template
    """.split()  # noqa: SIM905 - a word list reads better than 50 quoted lines
)
STORE_SCHEMA_PREFIX = "store_"
POOL_SCHEMA_PREFIX = "pool_"


def slug_normalize(slug: str) -> str:
    return (slug or "").strip().lower()


def slug_validate(*, slug: str, check_taken: bool = True) -> str:
    """Return the normalised slug or raise ApplicationError(field="slug") saying why not."""
    slug = slug_normalize(slug)
    if not SLUG_MIN_LENGTH <= len(slug) <= SLUG_MAX_LENGTH:
        raise ApplicationError(
            f"The address must be {SLUG_MIN_LENGTH} to {SLUG_MAX_LENGTH} characters long.",
            code=StoreErrorCode.SLUG_INVALID,
            field="slug",
        )
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise ApplicationError(
            "Use lower-case letters, digits and single hyphens; start and end with a letter or "
            "digit.",
            code=StoreErrorCode.SLUG_INVALID,
            field="slug",
        )
    if slug in RESERVED_SLUGS or slug.startswith(("pool-", "store-template")):
        raise ApplicationError(
            f"“{slug}” is reserved. Please choose another address.",
            code=StoreErrorCode.SLUG_RESERVED,
            field="slug",
        )
    if check_taken and slug_taken(slug):
        raise ApplicationError(
            f"“{slug}” is already taken. Please choose another address.",
            code=StoreErrorCode.SLUG_TAKEN,
            field="slug",
        )
    return slug


def slug_taken(slug: str) -> bool:
    host = f"{slug}.{settings.BASE_DOMAIN}"
    return (
        Tenant.objects.filter(slug=slug).exists()
        or Domain.objects.filter(domain=host).exists()
        or schema_exists(schema_name_for_slug(slug), case_sensitive=False)
    )


def schema_name_for_slug(slug: str) -> str:
    # Slugs never hold "_", so mapping "-" to "_" cannot make two slugs share a schema.
    return STORE_SCHEMA_PREFIX + slug.replace("-", "_")
