"""The demo data `make run` seeds: one store with its owner, its catalog, and an operator account.

Idempotent: whatever already exists is left exactly as it is (passwords included, and a
catalog the merchant has started), so a second run changes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from apps.catalog import demo as catalog_demo
from apps.discounts import demo as discounts_demo
from apps.inventory import demo as inventory_demo
from apps.payments import demo as payments_demo
from apps.shipping import demo as shipping_demo
from apps.tax import demo as tax_demo
from tenants import services
from tenants.models import Tenant

DEMO_STORE_NAME = "Demo Store"
DEMO_STORE_SLUG = "demo"
DEMO_OWNER_EMAIL = "demo@example.com"
DEMO_OWNER_PASSWORD = "sunny-checkout-42"  # noqa: S105 (documented demo credentials)
OPERATOR_EMAIL = "admin@example.com"
OPERATOR_PASSWORD = "operator-console-42"  # noqa: S105 (documented demo credentials)


@dataclass
class DemoSeedResult:
    tenant: Tenant
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def demo_seed(*, progress: catalog_demo.Progress | None = None) -> DemoSeedResult:
    """Create the demo store, its catalog and the operator superuser unless they exist.

    `progress(done, total, product)` is called after each demo product is created.
    """
    created: list[str] = []
    existing: list[str] = []

    tenant = Tenant.objects.filter(slug=DEMO_STORE_SLUG).first()
    if tenant is None:
        tenant = services.store_provision(
            name=DEMO_STORE_NAME,
            slug=DEMO_STORE_SLUG,
            owner_email=DEMO_OWNER_EMAIL,
            owner_password=DEMO_OWNER_PASSWORD,
        ).tenant
        created.append(f"store on {tenant.primary_host} with owner {DEMO_OWNER_EMAIL}")
    else:
        existing.append(f"store on {tenant.primary_host}")

    with tenant_context(tenant):
        catalog = catalog_demo.demo_catalog_seed(progress=progress)
        # Each part leaves a store that already has its own data alone.
        selling = {
            "stock": inventory_demo.demo_stock_seed().created,
            "shipping zones": shipping_demo.demo_shipping_seed(),
            "tax rates": tax_demo.demo_tax_seed(),
            "payment methods": bool(payments_demo.demo_payments_seed().enabled),
            "promotions and vouchers": discounts_demo.demo_discounts_seed(),
        }
    if catalog.created:
        created.append(f"demo catalog ({catalog.summary()})")
    else:
        existing.append(f"catalog of {catalog.products} products")
    for what, made in selling.items():
        (created if made else existing).append(f"demo {what}")

    User = get_user_model()
    with schema_context(get_public_schema_name()), transaction.atomic():
        if User.objects.filter(email__iexact=OPERATOR_EMAIL).exists():
            existing.append(f"operator {OPERATOR_EMAIL}")
        else:
            User.objects.create_superuser(email=OPERATOR_EMAIL, password=OPERATOR_PASSWORD)
            created.append(f"operator superuser {OPERATOR_EMAIL}")
    return DemoSeedResult(tenant=tenant, created=created, existing=existing)
