"""Demo discounts for the demo store, so the cart shows how promotions and vouchers combine:

- two automatic promotions: 15% off knitwear, $2 off each piece of camp-kitchen kit;
- vouchers: WELCOME10 (10% off, once per customer), SAVE5 ($5 off from $40), FREESHIP (free
  shipping from $50).

`demo_discounts_seed()` runs inside the store's schema (the caller uses `tenant_context`) after
the catalog exists; it only fills a store without vouchers and promotions, so a second run
changes nothing. Written through apps.discounts.services, like the admin.
"""

from django.db import transaction

from apps.catalog.models import Category
from apps.discounts import services
from apps.discounts.models import Promotion, Voucher

PROMOTIONS = [
    ("Knitwear week", "percentage", "15", "knitwear"),
    ("Camp kitchen deal", "fixed", "2.00", "camping/camp-kitchen"),
]
VOUCHERS = [
    {
        "code": "WELCOME10",
        "name": "Welcome: 10% off the first order",
        "kind": "percentage",
        "value": "10",
        "usage_limit_per_customer": 1,
    },
    {
        "code": "SAVE5",
        "name": "$5 off from $40",
        "kind": "fixed",
        "value": "5.00",
        "minimum_subtotal": "40.00",
    },
    {
        "code": "FREESHIP",
        "name": "Free shipping from $50",
        "kind": "free_shipping",
        "minimum_subtotal": "50.00",
    },
]


@transaction.atomic
def demo_discounts_seed() -> bool:
    """Create the demo promotions and vouchers unless the store has some; True when created."""
    if Voucher.objects.exists() or Promotion.objects.exists():
        return False
    paths = {category.path: category.pk for category in Category.objects.only("pk", "path")}
    for name, kind, value, path in PROMOTIONS:
        # Under its parent in the demo catalog ("clothing/knitwear"); any depth will do.
        found = next((pk for p, pk in paths.items() if p == path or p.endswith(f"/{path}")), None)
        if found is not None:
            services.promotion_create(name=name, kind=kind, value=value, category_ids=[found])
    for fields in VOUCHERS:
        services.voucher_create(**fields)
    return True
