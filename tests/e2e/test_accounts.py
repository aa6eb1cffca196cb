"""A shopper's account journey in headless Chromium, in the store's own look: create an
account (first with a mistake), land on the account page, log out, log in again.

At 360 px (the narrowest phone we design for) and at desktop width; the page must never
scroll sideways. In both built-in themes; screenshots land in
test-artifacts/accounts-<theme>-<step>-<width>.png.
"""

import re
import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.themes import services as theme_services
from tenants import services
from tenants.models import Tenant
from tests.catalog import factories

# django_db: without it pytest-django sets up no test database and the store would be
# provisioned in the development one. The test bodies write through the live server only.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
STORE_NAME = "Lakeside Kites"
PASSWORD = "Kites-and-Strings-42"


@pytest.fixture(scope="module", params=["classic", "boutique"])
def kite_store(request, django_db_setup, django_db_blocker):
    """A committed store in one built-in theme, with two categories (the header shows them);
    deleted at the end. (The theme is committed too: the live server reads it.)"""
    slug = f"lakeside-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test")
        connection.set_schema_to_public()
        store = services.store_provision(
            name=STORE_NAME, slug=slug, owner_email=f"owner@{slug}.test",
            owner_password="Plenty-long-Secret-7", strategy=services.ProvisionStrategy.CLONE,
        ).tenant  # fmt: skip
        with tenant_context(store):
            factories.category("Kites")
            factories.category("Strings and reels")
            theme_services.theme_apply_builtin(name=request.param)
        connection.set_schema_to_public()
    try:
        yield store, request.param
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            try:
                existing = Tenant.objects.filter(slug=slug).first()
                if existing is not None:
                    services.store_delete(tenant=existing, confirmation=slug)
            finally:
                # Under Playwright's greenlets this may be a connection of its own, which
                # pytest-django would not close: left open, it stops the test database
                # from being dropped.
                connection.close()


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_shopper_opens_an_account_logs_out_and_in_again(
    kite_store, live_server_url, browser, artifacts_dir, viewport, label
):
    from playwright.sync_api import expect

    # given
    store, theme = kite_store
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{store.primary_host}:{port}"
    email = f"robin-{label}@example.com"
    context = browser.new_context(viewport=viewport)
    page = context.new_page()

    def screenshot(step: str) -> None:
        path = artifacts_dir / f"accounts-{theme}-{step}-{label}.png"
        page.screenshot(path=str(path), full_page=True)

    def assert_in_the_stores_look() -> None:
        # the storefront's header (search, categories), footer and theme; never sideways
        expect(page.get_by_role("link", name=STORE_NAME).first).to_be_visible()
        expect(page.get_by_role("search").get_by_label("Search products")).to_be_visible()
        categories = page.get_by_role("navigation", name="Categories")
        expect(categories.get_by_role("link", name="Kites", exact=True)).to_be_visible()
        expect(page.get_by_role("contentinfo")).to_contain_text(STORE_NAME)
        assert page.locator("body").get_attribute("class") == f"layout-{theme}"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    try:
        # when: they open "Create an account" from the header
        page.goto(f"{base}/")
        page.get_by_role("navigation", name="Account", exact=True).get_by_role(
            "link", name="Create an account"
        ).click()
        page.wait_for_url(f"{base}/account/register/")

        # then: the form, in the store's look
        expect(page.get_by_role("heading", level=1, name="Create your account")).to_be_visible()
        assert_in_the_stores_look()
        screenshot("register")

        # when: they send it with a password that is too common
        page.get_by_label("Email address").fill(email)
        page.get_by_label("First name").fill("Robin")
        page.get_by_label("Password").fill("password123")
        page.get_by_role("button", name="Create account").click()

        # then: the error is on the field, read with it
        password = page.get_by_label("Password")
        expect(password).to_have_attribute("aria-invalid", "true")
        expect(password).to_have_accessible_description(
            re.compile(r"^At least 8 characters.*This password is too common\.$")
        )
        assert_in_the_stores_look()
        screenshot("register-error")

        # when: they choose a better one
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()

        # then: their account page, with a welcome
        page.wait_for_url(f"{base}/account/")
        expect(page.get_by_role("status")).to_have_text("Welcome! Your account is ready.")
        expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(email)
        assert_in_the_stores_look()
        screenshot("account")

        # when: they log out from the header
        header_account = page.get_by_role("navigation", name="Account", exact=True)
        header_account.get_by_role("button", name="Log out").click()

        # then: back on the storefront, signed out
        page.wait_for_url(f"{base}/")
        account_nav = page.get_by_role("navigation", name="Account", exact=True)
        expect(account_nav.get_by_role("link", name="Log in")).to_be_visible()

        # when: they log in again
        account_nav.get_by_role("link", name="Log in").click()
        page.wait_for_url(f"{base}/account/login/")
        assert_in_the_stores_look()
        screenshot("login")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        # then: signed in, on the storefront
        page.wait_for_url(f"{base}/")
        expect(page.get_by_role("navigation", name="Account", exact=True)).to_contain_text(
            f"Signed in as {email}"
        )
    finally:
        context.close()
        # See test_storefront.py: the django_db transaction may sit on a connection of its
        # own under Playwright's loop; closing it rolls back nothing this test wrote.
        connection.close()
