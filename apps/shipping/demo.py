"""Believable shipping for the demo store ("Fernhill Outfitters", Portland, Oregon; US dollars):

- United States: Standard (a flat rate, free over a threshold) and Express;
- Portland area (postcodes 970-972): the same plus free local pickup at the shop;
- Europe: by weight brackets, nothing over 20 kg;
- Rest of the world: by order-subtotal brackets.

`demo_shipping_seed()` runs inside the store's schema (the caller uses `tenant_context`) and
only fills a store with no zones, so running it again changes nothing. Written through
apps.shipping.services, like the admin.
"""

from decimal import Decimal

from django.db import transaction

from apps.shipping import services
from apps.shipping.models import ShippingZone

D = Decimal
PICKUP_ADDRESS = {
    "company": "Fernhill Outfitters",
    "street_address_1": "1420 SE Hawthorne Blvd",
    "city": "Portland",
    "country_area": "OR",
    "postal_code": "97214",
    "country_code": "US",
    "phone": "+1 503 555 0142",
}
EUROPE = ["AT", "BE", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "PL", "PT", "SE"]


def _domestic_methods(zone: ShippingZone) -> None:
    services.shipping_method_create(
        zone=zone,
        name="Standard",
        rate_type="free_over",
        amount=D("6.95"),
        free_over=D("75.00"),
        delivery_estimate="3-5 business days",
        description="Free on orders of $75 or more.",
        position=1,
    )
    services.shipping_method_create(
        zone=zone,
        name="Express",
        rate_type="flat",
        amount=D("19.95"),
        delivery_estimate="1-2 business days",
        position=2,
    )


@transaction.atomic
def demo_shipping_seed() -> bool:
    """Create the demo zones and methods unless the store has zones; True when created."""
    if ShippingZone.objects.exists():
        return False
    domestic = services.shipping_zone_create(name="United States", countries=["US"], position=1)
    _domestic_methods(domestic)
    local = services.shipping_zone_create(
        name="Portland area", countries=["US"], postcodes=["970-972"], position=0
    )
    services.shipping_method_create(
        zone=local,
        name="Pick up at the shop",
        rate_type="pickup",
        pickup_address=PICKUP_ADDRESS,
        delivery_estimate="Ready the next business day",
        description="Tuesday to Saturday, 10am to 6pm.",
        position=0,
    )
    _domestic_methods(local)
    europe = services.shipping_zone_create(name="Europe", countries=EUROPE, position=2)
    services.shipping_method_create(
        zone=europe,
        name="International tracked",
        rate_type="weight",
        delivery_estimate="5-9 business days",
        brackets=[
            {"lower": 0, "upper": 1000, "amount": D("14.00")},
            {"lower": 1000, "upper": 5000, "amount": D("24.00")},
            {"lower": 5000, "upper": 20000, "amount": D("49.00")},
        ],
    )
    world = services.shipping_zone_create(name="Rest of the world", position=3)
    services.shipping_method_create(
        zone=world,
        name="International economy",
        rate_type="subtotal",
        delivery_estimate="7-21 business days",
        brackets=[
            {"lower": 0, "upper": 100, "amount": D("29.00")},
            {"lower": 100, "upper": 250, "amount": D("39.00")},
            {"lower": 250, "upper": None, "amount": D("49.00")},
        ],
    )
    return True
