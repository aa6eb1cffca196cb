"""The cart in headless Chromium at 360 px: add to cart with JavaScript off (a plain form
post), then with JavaScript on see the mini-cart count, change a quantity, apply a voucher and
find the checkout button, all without sideways scrolling. Screenshots land in
test-artifacts/cart-<step>-360.png."""

import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.discounts import services as discounts
from tenants import services
from tenants.models import Tenant
from tests.cart.conftest import shirt_variants
from tests.e2e.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NARROW = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker):
    """A committed store with a shirt (two variants, 5 of each) and a voucher; deleted after."""
    slug = f"cart-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test")
        connection.set_schema_to_public()
        store = services.store_provision(
            name="Cart Shop", slug=slug, owner_email=f"owner@{slug}.test",
            owner_password="Plenty-long-Secret-7", strategy=services.ProvisionStrategy.CLONE,
        ).tenant  # fmt: skip
        with tenant_context(store):
            shirt_variants(stock=5)
            discounts.voucher_create(code="TENOFF", kind="percentage", value="10")
        connection.set_schema_to_public()
    try:
        yield store
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            try:
                found = Tenant.objects.filter(slug=slug).first()
                if found is not None:
                    services.store_delete(tenant=found, confirmation=slug)
            finally:
                connection.close()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            ".right > innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        raise AssertionError(f"the page is {width}px wide at {NARROW['width']}px: {wide}")


def test_a_shopper_fills_a_cart_at_360_px(shop, live_server_url, chromium_path, artifacts_dir):
    # Chromium starts here, not in a fixture: while Playwright's event loop runs, Django gives
    # this thread a connection of its own, and the test's transaction (set up before the body)
    # must stay on the ordinary one, which pytest-django rolls back and closes.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            _journey(browser, shop, live_server_url, artifacts_dir)
        finally:
            browser.close()


def _journey(browser, shop, live_server_url, artifacts_dir) -> None:
    from playwright.sync_api import expect

    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{shop.primary_host}:{port}"
    no_js = browser.new_context(viewport=NARROW, java_script_enabled=False)
    page = no_js.new_page()

    def screenshot(step: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"cart-{step}-360.png"), full_page=True)

    try:
        # when: without JavaScript, two shirts go into the cart from the product page
        page.goto(f"{base}/products/linen-shirt/")
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Add to cart").click()
        # then: the cart page lists them, with the message
        page.wait_for_url(f"{base}/cart/")
        expect(page.get_by_role("status").first).to_contain_text("Added 2 x Linen Shirt (M / Red)")
        expect(page.get_by_role("heading", level=3, name="Linen Shirt")).to_be_visible()
        expect(page.locator(".cart-summary__total").last).to_have_text("$40.00")
        screenshot("no-js")
        _no_sideways_scroll(page)
        cookies = no_js.cookies()
    finally:
        no_js.close()

    # when: the same shopper comes back with JavaScript on
    with_js = browser.new_context(viewport=NARROW)
    with_js.add_cookies(cookies)
    page = with_js.new_page()
    try:
        page.goto(f"{base}/products/linen-shirt/")
        # then: the header's mini-cart shows their count, from their own cookie
        minicart = page.get_by_role("link", name="Cart, 2 items")
        expect(minicart).to_be_visible()
        expect(minicart.locator("[data-minicart-count]")).to_have_text("2")
        screenshot("product")
        _no_sideways_scroll(page)
        minicart.click()
        page.wait_for_url(f"{base}/cart/")
        # when: a quantity changes and a voucher is applied
        page.get_by_label("Quantity of Linen Shirt").fill("3")
        page.get_by_role("button", name="Update quantity of Linen Shirt").click()
        expect(page.get_by_role("status").first).to_contain_text("Quantity updated.")
        page.get_by_label("Voucher code").fill("tenoff")
        page.get_by_role("button", name="Apply").click()
        # then: 3 x 20.00 less 10%, and the way to the checkout
        expect(page.get_by_role("status").first).to_contain_text("Voucher TENOFF applied.")
        expect(page.locator(".cart-summary__total").last).to_have_text("$54.00")
        expect(page.get_by_role("link", name="Checkout")).to_have_attribute("href", "/checkout/")
        expect(page.get_by_role("link", name="Cart, 3 items")).to_be_visible()
        screenshot("cart")
        _no_sideways_scroll(page)
        # when: more than the 5 in stock are asked for
        page.get_by_label("Quantity of Linen Shirt").fill("9")
        page.get_by_role("button", name="Update quantity of Linen Shirt").click()
        expect(page.get_by_role("status").first).to_contain_text("Only 5 left of Linen Shirt")
    finally:
        with_js.close()
