"""What pricing reads through the store configuration memo: promotions, shipping zones, tax,
payment methods and settings, checkout settings. Each is exact after a write through its
service, through a plain ORM save (the admin's way) and after a delete; warm, it costs no
query; a request reads the version once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog import services as catalog
from apps.checkout import services as checkout_services
from apps.checkout.models import CheckoutSettings
from apps.core import store_config
from apps.core.addresses import Address
from apps.discounts import services as discounts
from apps.discounts.models import Promotion
from apps.discounts.selectors import promotion_rules_running
from apps.payments.models import PaymentProviderConfig
from apps.payments.services import payment_methods_available, provider_config_save
from apps.payments.services._common import settings_of
from apps.shipping import services as shipping
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone
from apps.shipping.providers.base import Package
from apps.tax import services as tax
from apps.tax.calculation import TaxableLine, tax_calculate
from apps.tax.models import TaxRate, TaxSettings
from apps.tax.selectors import tax_rate_for_address, tax_settings_get
from tests.catalog import factories
from tests.checkout.conftest import ADDRESS, checkout_ready, shop_build

LONDON = Address.from_dict(ADDRESS)
BERLIN = Address(
    last_name="Müller", street_address_1="Unter den Linden 77", city="Berlin",
    postal_code="10117", country_code="DE",
)  # fmt: skip
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _empty_memo():
    store_config.store_memo_clear()
    yield
    store_config.store_memo_clear()


@pytest.fixture
def in_a(store_a):
    with schema_context(store_a.schema):
        yield store_a


# --- promotions -----------------------------------------------------------------------------


def _promotions(now=None) -> list[tuple[str, str]]:
    return [(rule.name, str(rule.value)) for rule in promotion_rules_running(now=now)]


def test_promotions_follow_every_write(in_a, django_assert_num_queries):
    promotion = discounts.promotion_create(name="Summer", value="10", scope="all")
    assert _promotions() == [("Summer", "10.00")]
    with django_assert_num_queries(0):
        assert _promotions() == [("Summer", "10.00")]
    # through the service
    discounts.promotion_update(promotion=promotion, value="12")
    assert _promotions() == [("Summer", "12.00")]
    # through the ORM (the admin saves the model)
    promotion = Promotion.objects.get(pk=promotion.pk)
    promotion.name = "Summer sale"
    promotion.save()
    assert _promotions() == [("Summer sale", "12.00")]
    promotion.is_active = False
    promotion.save()
    assert _promotions() == []
    promotion.is_active = True
    promotion.save()
    # deleted
    discounts.promotion_delete(promotion=promotion)
    assert _promotions() == []
    other = discounts.promotion_create(name="Other", value="5", scope="all")
    assert _promotions() == [("Other", "5.00")]
    Promotion.objects.get(pk=other.pk).delete()
    assert _promotions() == []


def test_promotions_run_by_the_same_rule_as_the_database(in_a):
    starts, ends = NOW, NOW + timedelta(days=1)
    discounts.promotion_create(
        name="Window", value="10", scope="all", starts_at=starts, ends_at=ends
    )
    discounts.promotion_create(name="Open start", value="10", scope="all", ends_at=ends)
    discounts.promotion_create(name="Open end", value="10", scope="all", starts_at=starts)
    running = {
        when: [name for name, _ in _promotions(now=when)]
        for when in (starts - timedelta(microseconds=1), starts, ends - timedelta(seconds=1), ends)
    }
    assert running == {
        starts - timedelta(microseconds=1): ["Open start"],
        starts: ["Window", "Open start", "Open end"],  # starts_at <= now
        ends - timedelta(seconds=1): ["Window", "Open start", "Open end"],
        ends: ["Open end"],  # now < ends_at
    }


def test_a_promotion_scope_follows_its_products_and_category_paths(in_a):
    shirts = factories.category("Shirts")
    mug = factories.product("Mug")
    promotion = discounts.promotion_create(name="Shirts", value="10", category_ids=[shirts.pk])

    def scope():
        (rule,) = promotion_rules_running()
        return rule.scope.category_paths, rule.scope.product_ids

    assert scope() == (("shirts",), frozenset())
    # an M2M change through the ORM
    Promotion.objects.get(pk=promotion.pk).products.add(mug)
    assert scope() == (("shirts",), frozenset({mug.pk}))
    # the category moves and is renamed: the promotion covers its new path
    clothes = factories.category("Clothes")
    catalog.category_update(category=shirts, parent=clothes, slug="tops")
    assert scope() == (("clothes/tops",), frozenset({mug.pk}))
    Promotion.objects.get(pk=promotion.pk).products.clear()
    assert scope() == (("clothes/tops",), frozenset())


# --- shipping -------------------------------------------------------------------------------


def _rates(address: Address = LONDON, grams: int = 500) -> list[tuple[str, Decimal]]:
    package = Package(subtotal=Decimal(20), weight_grams=grams, currency="GBP", item_count=1)
    rates = shipping.shipping_rates(address=address, package=package)
    return [(rate.name, rate.amount) for rate in rates]


def test_shipping_follows_every_write(in_a, django_assert_num_queries):
    uk = shipping.shipping_zone_create(name="UK", countries=["GB"])
    world = shipping.shipping_zone_create(name="World")
    flat = shipping.shipping_method_create(zone=uk, name="Flat", rate_type="flat", amount="3.95")
    parcel = shipping.shipping_method_create(
        zone=world,
        name="Parcel",
        rate_type="weight",
        brackets=[{"lower": 0, "upper": 1000, "amount": "9.00"}],
    )
    assert _rates() == [("Flat", Decimal("3.95"))]
    with django_assert_num_queries(0):
        assert _rates() == [("Flat", Decimal("3.95"))]
        assert _rates(BERLIN) == [("Parcel", Decimal("9.00"))]
    # services
    shipping.shipping_method_update(method=flat, amount="4.50")
    assert _rates() == [("Flat", Decimal("4.50"))]
    shipping.shipping_method_brackets_set(
        method=parcel, brackets=[{"lower": 0, "upper": None, "amount": "11.00"}]
    )
    assert _rates(BERLIN) == [("Parcel", Decimal("11.00"))]
    # the ORM: a bracket, a method, a zone
    bracket = ShippingBracket.objects.get(method=parcel)
    bracket.amount = Decimal("12.00")
    bracket.save()
    assert _rates(BERLIN) == [("Parcel", Decimal("12.00"))]
    bracket.delete()
    assert _rates(BERLIN) == []
    ShippingBracket.objects.create(method=parcel, lower=0, amount=Decimal("13.00"))
    assert _rates(BERLIN) == [("Parcel", Decimal("13.00"))]
    method = ShippingMethod.objects.get(pk=flat.pk)
    method.active = False
    method.save()
    assert _rates() == [("Parcel", Decimal("13.00"))]  # the UK hands over to the world
    zone = ShippingZone.objects.get(pk=world.pk)
    zone.countries = ["DE"]
    zone.save()
    assert (_rates(), _rates(BERLIN)) == ([], [("Parcel", Decimal("13.00"))])
    # deletes
    shipping.shipping_zone_delete(zone=zone)
    assert _rates(BERLIN) == []
    ShippingMethod.objects.filter(pk=flat.pk).update(active=True)  # no signal: say so
    store_config.store_config_changed()
    assert _rates() == [("Flat", Decimal("4.50"))]
    ShippingZone.objects.get(pk=uk.pk).delete()
    assert _rates() == []


def test_pickup_methods_keep_their_address(in_a):
    uk = shipping.shipping_zone_create(name="UK", countries=["GB"])
    pickup = {
        "company": "The Shop", "street_address_1": "1 Market Street", "city": "London",
        "postal_code": "SW1A 2AA", "country_code": "GB",
    }  # fmt: skip
    shipping.shipping_method_create(
        zone=uk, name="Collect", rate_type="pickup", pickup_address=pickup
    )
    package = Package(subtotal=Decimal(20), weight_grams=0, currency="GBP", item_count=1)
    for _ in range(2):
        (rate,) = shipping.shipping_rates(address=LONDON, package=package)
        assert rate.is_pickup
        assert rate.pickup_address.city == "London"


# --- tax ------------------------------------------------------------------------------------


def _tax(address: Address | None = LONDON) -> tuple[Decimal, str]:
    result = tax_calculate(
        lines=[TaxableLine("a", Decimal(100), 1, Decimal(100))],
        shipping=Decimal(10),
        address=address,
        currency="GBP",
    )
    return result.total_tax, result.breakdown[0].name if result.breakdown else ""


def test_tax_follows_every_write(in_a, django_assert_num_queries):
    # first use: the settings row is made
    assert not TaxSettings.objects.exists()
    assert _tax() == (Decimal(0), "")
    assert TaxSettings.objects.count() == 1
    with django_assert_num_queries(0):
        assert _tax() == (Decimal(0), "")
    # services
    vat = tax.tax_rate_create(country="GB", rate="20", name="VAT")
    assert _tax() == (Decimal("20.00"), "VAT")
    tax.tax_settings_update(tax_shipping=True)
    assert _tax() == (Decimal("22.00"), "VAT")
    tax.tax_rate_update(tax_rate=vat, rate="17.5")
    assert _tax() == (Decimal("19.25"), "VAT")
    # the ORM
    rate = TaxRate.objects.get(pk=vat.pk)
    rate.rate = Decimal(10)
    rate.save()
    assert _tax() == (Decimal("11.00"), "VAT")
    settings = TaxSettings.objects.get()
    settings.default_rate, settings.default_rate_name = Decimal(5), "Tax"
    settings.save()
    assert _tax(BERLIN) == (Decimal("5.50"), "Tax")
    # deletes
    tax.tax_rate_delete(tax_rate=rate)
    assert _tax() == (Decimal("5.50"), "Tax")
    TaxSettings.objects.all().delete()
    assert _tax() == (Decimal(0), "")  # made again, with the defaults
    assert TaxSettings.objects.count() == 1


def test_a_region_rate_beats_its_country_and_instances_are_each_callers(in_a):
    tax.tax_rate_create(country="US", rate="5", name="Federal-ish")
    tax.tax_rate_create(country="US", region="CA", rate="7.25", name="CA")
    california = Address(last_name="Doe", country_code="US", country_area="CA")
    nevada = Address(last_name="Doe", country_code="US", country_area="NV")
    assert tax_rate_for_address(address=california).name == "CA"
    assert tax_rate_for_address(address=nevada).name == "Federal-ish"
    assert tax_rate_for_address(address=BERLIN) is None
    # every call gets its own instance, which saves like a loaded one
    first, second = tax_settings_get(), tax_settings_get()
    assert first is not second
    first.prices_include_tax = True
    assert tax_settings_get().prices_include_tax is False
    first.save()
    assert tax_settings_get().prices_include_tax is True
    assert TaxSettings.objects.count() == 1


# --- payments -------------------------------------------------------------------------------


def _methods() -> list[tuple[str, str]]:
    return [(method.code, method.name) for method in payment_methods_available(currency="EUR")]


def test_payment_methods_and_settings_follow_every_write(in_a, django_assert_num_queries):
    provider_config_save(provider_code="manual", enabled=True, position=1)
    provider_config_save(
        provider_code="test", enabled=True, position=0, settings={"capture": "manual"}
    )
    assert _methods() == [("test", "Card (test gateway)"), ("manual", "Bank transfer")]
    assert settings_of("test")["capture"] == "manual"
    with django_assert_num_queries(0):
        assert _methods() == [("test", "Card (test gateway)"), ("manual", "Bank transfer")]
        assert settings_of("test")["capture"] == "manual"
    # services
    provider_config_save(provider_code="test", settings={"capture": "automatic"})
    assert settings_of("test")["capture"] == "automatic"
    provider_config_save(provider_code="manual", display_name="Wire")
    assert _methods() == [("test", "Card (test gateway)"), ("manual", "Wire")]
    # the ORM
    config = PaymentProviderConfig.objects.get(provider="test")
    config.enabled = False
    config.save()
    assert _methods() == [("manual", "Wire")]
    # deleted
    PaymentProviderConfig.objects.get(provider="manual").delete()
    assert _methods() == []
    assert settings_of("manual") == {}


def test_provider_settings_are_a_copy_for_each_caller(in_a):
    provider_config_save(provider_code="test", enabled=True)
    settings = settings_of("test")
    settings["capture"] = "changed by a caller"
    assert settings_of("test")["capture"] == "automatic"
    assert settings_of("test")["webhook_secret"].startswith("whsec_")


# --- checkout settings ----------------------------------------------------------------------


def test_checkout_settings_follow_every_write(in_a, django_assert_num_queries):
    assert not CheckoutSettings.objects.exists()
    assert checkout_services.checkout_settings().reservation_minutes == 15
    assert CheckoutSettings.objects.count() == 1
    with django_assert_num_queries(0):
        assert checkout_services.checkout_settings().reservation_minutes == 15
    # the ORM
    row = CheckoutSettings.objects.get()
    row.reservation_minutes = 30
    row.save()
    assert checkout_services.checkout_settings().reservation_minutes == 30
    # what it returns can be changed and saved like a row read from the database
    settings = checkout_services.checkout_settings()
    settings.reservation_minutes = 45
    settings.save()
    assert checkout_services.checkout_settings().reservation_minutes == 45
    assert CheckoutSettings.objects.get().reservation_minutes == 45
    CheckoutSettings.objects.all().delete()
    assert checkout_services.checkout_settings().reservation_minutes == 15


# --- a checkout, as pricing reads it --------------------------------------------------------


def test_a_warm_checkout_price_reads_no_configuration(in_a, django_assert_num_queries):
    shop = shop_build()
    checkout = checkout_ready(shop, quantity=1)
    checkout_services.checkout_price_get(checkout=checkout, currency="EUR")
    # only the checkout's own rows: its cart lines, the catalog rows, their availability
    with django_assert_num_queries(3):
        price = checkout_services.checkout_price_get(checkout=checkout, currency="EUR")
    assert price.shipping is not None
    assert price.tax_total > 0


def test_stores_keep_their_own_configuration(store_a, store_b, django_assert_num_queries):
    rates = {store_a.schema: "20", store_b.schema: "7"}
    for schema, rate in rates.items():
        with schema_context(schema):
            tax.tax_rate_create(country="GB", rate=rate, name=f"VAT {rate}")
            discounts.promotion_create(name=f"Promo {rate}", value=rate, scope="all")
    for _ in range(2):  # alternating between the stores
        for schema, rate in rates.items():
            with schema_context(schema):
                assert tax_rate_for_address(address=LONDON).name == f"VAT {rate}"
                assert _promotions() == [(f"Promo {rate}", f"{rate}.00")]
    # when: store A changes; then store B's memo stays warm and right
    with schema_context(store_a.schema):
        tax.tax_rate_update(tax_rate=TaxRate.objects.get(), rate="21")
        assert tax_rate_for_address(address=LONDON).rate == Decimal(21)
        assert _promotions() == [("Promo 20", "20.00")]  # A's memo is loaded again, all of it
    with schema_context(store_b.schema), django_assert_num_queries(0):
        assert tax_rate_for_address(address=LONDON).rate == Decimal(7)
        assert _promotions() == [("Promo 7", "7.00")]
    # and the other way round
    with schema_context(store_b.schema):
        Promotion.objects.update(value=Decimal(8))
        store_config.store_config_changed()
        assert _promotions() == [("Promo 7", "8.00")]
    with schema_context(store_a.schema), django_assert_num_queries(0):
        assert _promotions() == [("Promo 20", "20.00")]
        assert tax_rate_for_address(address=LONDON).rate == Decimal(21)


def test_a_checkout_request_reads_the_configuration_version_once(store_a, client_a, monkeypatch):
    with schema_context(store_a.schema):
        shop = shop_build()
        checkout = checkout_ready(shop, quantity=1)
    reads = []
    real = store_config.version_current

    def counted(key: str) -> int:
        reads.append(connection.schema_name)
        return real(key)

    monkeypatch.setattr(store_config, "version_current", counted)
    for _ in range(2):
        # the price (promotions, shipping, tax), the shipping options, the payment methods
        response = client_a.get(f"/api/v1/checkouts/{checkout.token}/")
        assert response.status_code == 200
        assert response.json()["shipping_methods"]
    assert reads == [store_a.schema, store_a.schema]  # one per request


def test_the_cart_page_shows_a_promotion_changed_in_the_admin(store_a):
    # given: a promotion and a cart page seen once (the memo is warm)
    with schema_context(store_a.schema):
        shop = shop_build()
        promotion = discounts.promotion_create(name="Mugs", value="10", scope="all")
        checkout = checkout_ready(shop, quantity=1)
    client = Client(HTTP_HOST=store_a.host)
    path = f"/api/v1/checkouts/{checkout.token}/"
    assert client.get(path).json()["discount_total"] != "0.00"
    # when: staff switch it off (a model save, as the admin does)
    with schema_context(store_a.schema):
        row = Promotion.objects.get(pk=promotion.pk)
        row.is_active = False
        row.save()
    # then: the next request prices without it
    assert client.get(path).json()["discount_total"] == "0.00"
