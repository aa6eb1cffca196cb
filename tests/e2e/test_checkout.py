"""A guest's whole purchase in headless Chromium (issue #4): two variants of two demo products
picked by their options and added to the cart, a voucher applied, the guest checkout (contact
and address, shipping method, the test gateway's card), then the confirmation page and the
confirmation email.

The live server is another process: it writes its mail to files in `mail_dir` (see
conftest.py), which this test reads. Screenshots of the cart and the confirmation at phone and
desktop widths land in test-artifacts/checkout-<step>-<width>.png.
"""

import email
import re
import shutil
import uuid
from dataclasses import dataclass
from email import policy
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from apps.catalog import demo as catalog_demo
from apps.catalog.models import Variant
from apps.discounts import services as discounts
from apps.inventory import demo as inventory_demo
from apps.inventory.selectors import availability
from apps.payments import demo as payments_demo
from apps.shipping import demo as shipping_demo
from apps.tax import demo as tax_demo
from tenants import services
from tenants.models import Tenant
from tests.e2e.conftest import CHROMIUM_ARGS

# django_db: so pytest-django sets up the test database (the store is committed by the fixture).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VOUCHER = "E2ETEN"
# Well inside what every chosen variant has, so the test never meets a stock limit.
MINIMUM_FREE_UNITS = 5
# The pages' typography: a minus sign before a discount, a times sign between quantity and name.
MINUS = "\u2212"
TIMES = "\u00d7"


@dataclass(frozen=True)
class Pick:
    """A variant to buy, and the option choices (group slug, value slug) that select it."""

    product_name: str
    product_slug: str
    variant_name: str
    options: tuple[tuple[str, str], ...]


def _two_variants_in_stock() -> list[Pick]:
    """Two variants of two different products, each with options and plenty of free stock
    (the demo stock leaves some variants low or sold out), preferring a variant that is not
    its product's first, so the shopper really has to change an option."""
    variants = list(
        Variant.objects.filter(product__status="published", is_default=False)
        .select_related("product")
        .prefetch_related("option_values__option_type")
        .order_by("product__name", "position", "pk")
    )
    free = availability(variant_ids=[variant.pk for variant in variants])
    first_of_product = {}
    for variant in variants:
        first_of_product.setdefault(variant.product_id, variant.pk)
    picks: dict[int, Pick] = {}
    for variant in variants:
        stock = free[variant.pk]
        if variant.product_id in picks or first_of_product[variant.product_id] == variant.pk:
            continue
        if stock.available is None or stock.available < MINIMUM_FREE_UNITS:
            continue
        options = tuple(
            (value.option_type.slug, value.slug) for value in variant.option_values.all()
        )
        if options:
            picks[variant.product_id] = Pick(
                variant.product.name, variant.product.slug, variant.name, options
            )
        if len(picks) == 2:
            return list(picks.values())
    raise AssertionError("the demo catalog has no two products with a variant in stock")


@pytest.fixture(scope="module")
def demo_shop(django_db_setup, django_db_blocker, media_root):
    """A committed store with the demo catalog, stock, shipping, tax and payment methods, and
    a 10% voucher; yields (store, the two variants to buy). Deleted at the end."""
    slug = f"checkout-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test")
        connection.set_schema_to_public()
        store = services.store_provision(
            name="Fernhill Outfitters", slug=slug, owner_email=f"owner@{slug}.test",
            owner_password="Plenty-long-Secret-7", strategy=services.ProvisionStrategy.CLONE,
        ).tenant  # fmt: skip
        with tenant_context(store), override_settings(MEDIA_ROOT=str(media_root)):
            catalog_demo.demo_catalog_seed()
            inventory_demo.demo_stock_seed()
            shipping_demo.demo_shipping_seed()
            tax_demo.demo_tax_seed()
            payments_demo.demo_payments_seed()
            discounts.voucher_create(code=VOUCHER, kind="percentage", value="10")
            picks = _two_variants_in_stock()
        connection.set_schema_to_public()
    try:
        yield store, picks
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            try:
                found = Tenant.objects.filter(slug=slug).first()
                if found is not None:
                    services.store_delete(tenant=found, confirmation=slug)
            finally:
                connection.close()
        shutil.rmtree(media_root / store.schema_name, ignore_errors=True)


def _sent_emails(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message the live server wrote (Django's file backend: one file per connection,
    messages separated by a line of 79 dashes)."""
    return [
        email.message_from_string(chunk.strip(), policy=policy.default)
        for path in sorted(mail_dir.glob("*.log"))
        for chunk in path.read_text().split("-" * 79)
        if chunk.strip()
    ]


def test_a_guest_buys_two_variants_with_a_voucher_and_gets_the_confirmation(
    demo_shop, live_server_url, chromium_path, artifacts_dir, mail_dir
):
    # Chromium starts here, not in a fixture (see tests/cart/test_browser.py: the test's
    # transaction must stay on the ordinary connection).
    from playwright.sync_api import sync_playwright

    store, picks = demo_shop
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{store.primary_host}:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE)
        try:
            _journey(context.new_page(), base, picks, artifacts_dir, mail_dir)
        finally:
            context.close()
            browser.close()


def _screenshots(page, artifacts_dir: Path, step: str) -> None:
    """The page as it is, at phone width and at desktop width (then back to the phone)."""
    for label, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(artifacts_dir / f"checkout-{step}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def _add_to_cart(page, base: str, pick: Pick) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/products/{pick.product_slug}/")
    for group, value in pick.options:
        choice = page.locator(f"#option-{group}-{value}")
        if not choice.is_checked():
            # With JavaScript, changing an option submits the picker: the page comes back
            # with the choice in its address.
            page.locator(f"label[for='option-{group}-{value}']").click()
            page.wait_for_url(re.compile(rf"[?&]{re.escape(group)}={re.escape(value)}(&|$)"))
        expect(page.locator(f"#option-{group}-{value}")).to_be_checked()
    expect(page.locator("#availability")).to_have_text(f"In stock: {pick.variant_name}")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url(f"{base}/cart/")
    expect(page.get_by_role("status").first).to_contain_text(
        f"Added 1 x {pick.product_name} ({pick.variant_name})"
    )


def _journey(page, base: str, picks: list[Pick], artifacts_dir: Path, mail_dir: Path) -> None:
    from playwright.sync_api import expect

    # Unique, so this run's email is told apart from any other in the session's mail_dir.
    guest_email = f"guest-{uuid.uuid4().hex[:8]}@example.com"

    # when: the guest picks two variants by their options and adds each to the cart
    for pick in picks:
        _add_to_cart(page, base, pick)

    # then: the cart lists both
    for pick in picks:
        expect(page.get_by_role("heading", level=3, name=pick.product_name)).to_be_visible()
    expect(page.get_by_role("link", name="Cart, 2 items")).to_be_visible()

    # when: they apply the voucher
    page.get_by_label("Voucher code").fill(VOUCHER.lower())
    page.get_by_role("button", name="Apply").click()

    # then: it is applied, and takes something off
    expect(page.get_by_role("status").first).to_contain_text(f"Voucher {VOUCHER} applied.")
    cart_discount = page.locator("dd.cart-summary__discount")
    expect(cart_discount).to_have_text(re.compile(rf"^{MINUS}\$\d+\.\d\d$"))
    discount = cart_discount.inner_text()
    assert discount != f"{MINUS}$0.00"
    _screenshots(page, artifacts_dir, "cart")

    # when: they check out as a guest, shipping to Seattle
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url(f"{base}/checkout/")
    page.get_by_label("Email address").fill(guest_email)
    page.locator("#id_shipping-first_name").fill("Robin")
    page.locator("#id_shipping-last_name").fill("Guest")
    page.locator("#id_shipping-street_address_1").fill("1200 Pine Street")
    page.locator("#id_shipping-city").fill("Seattle")
    page.locator("#id_shipping-postal_code").fill("98101")
    page.locator("#id_shipping-country_area").fill("WA")
    page.locator("#id_shipping-country_code").select_option("US")
    expect(
        page.get_by_label("My billing address is the same as the shipping address")
    ).to_be_checked()
    page.get_by_role("button", name="Continue to shipping").click()

    # then: the shipping methods of the United States zone; they choose Standard
    page.wait_for_url(f"{base}/checkout/shipping/")
    page.get_by_role("radio", name=re.compile(r"^Standard")).check()
    page.get_by_role("button", name="Continue to review and payment").click()

    # when: they pay with the test gateway's card
    page.wait_for_url(f"{base}/checkout/review/")
    expect(page.get_by_role("main")).to_contain_text("1200 Pine Street")
    page.get_by_role("radio", name=re.compile(r"^Card")).check()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month (MM)").fill("12")
    page.get_by_label("Expiry year (YYYY)").fill("2040")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Place order").click()

    # then: the confirmation, with the order number, the lines, the discount, and paid
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/orders/[^/]+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Order #\d+$"))
    number = heading.inner_text().removeprefix("Order ")
    expect(page.locator(".order-status")).to_contain_text("Paid")
    summary = page.locator(".checkout-summary")
    for pick in picks:
        expect(summary).to_contain_text(f"1 {TIMES} {pick.product_name} ({pick.variant_name})")
    expect(summary.locator("dt.summary-totals__discount")).to_have_text(f"Voucher {VOUCHER}")
    expect(summary.locator("dd.summary-totals__discount")).to_have_text(discount)
    _screenshots(page, artifacts_dir, "confirmation")

    # and the confirmation email went to the guest (sent by the server while placing the order)
    sent = _sent_emails(mail_dir)
    mine = [message for message in sent if message["To"] == guest_email]
    assert len(mine) == 1, [(message["To"], message["Subject"]) for message in sent]
    assert number in mine[0]["Subject"]
    body = mine[0].get_body(preferencelist=("plain",)).get_content()
    assert number in body
    for pick in picks:
        assert pick.product_name in body
