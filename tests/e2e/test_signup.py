"""The signup journey in headless Chromium: sign up on the public host and land, logged in,
on the new store's admin on its own host."""

import re
import uuid

import pytest
from django.db import connection

from tenants import services
from tenants.models import Tenant

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _store_delete_if_any(slug: str) -> None:
    connection.set_schema_to_public()
    try:
        store = Tenant.objects.filter(slug=slug).first()
        if store is not None:
            services.store_delete(tenant=store, confirmation=slug)
    finally:
        # Under Playwright's greenlets this may be a connection of its own, which pytest-django
        # would not close: left open, it stops the test database from being dropped.
        connection.close()


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_signup_lands_logged_in_on_the_store_admin(
    live_server_url, browser, django_db_blocker, artifacts_dir, viewport, label
):
    # given
    suffix = uuid.uuid4().hex[:8]
    name = f"Kite Corner {suffix}"
    slug = f"kite-corner-{suffix}"  # what the page suggests from the name
    email = f"kim-{suffix}@kites.test"
    port = live_server_url.rsplit(":", 1)[1]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server_url}/")
        page.screenshot(path=str(artifacts_dir / f"landing-{label}.png"), full_page=True)
        page.get_by_role("link", name="Start your store for free").click()
        page.wait_for_url(f"{live_server_url}/signup/")

        # when: the visitor fills the form; the address is suggested and checked as they type
        page.get_by_label("Store name").fill(name)
        address = page.get_by_label("Store address")
        assert address.input_value() == slug
        status = page.locator("#slug-status")
        status.filter(has_text=f"{slug}.localhost is available.").wait_for()
        page.get_by_label("Your email").fill(email)
        page.get_by_label("Password").fill("Plenty-long-Secret-7")
        page.screenshot(path=str(artifacts_dir / f"signup-{label}.png"), full_page=True)
        page.get_by_role("button", name="Create my store").click()

        # then: on the store's own host, in its admin, logged in as the new owner
        page.wait_for_url(f"http://{slug}.localhost:{port}/admin/")
        assert page.locator("#site-name").text_content().strip().startswith(name)
        user_tools = page.locator("#user-tools")
        assert email in user_tools.text_content()
        assert user_tools.get_by_role("button", name=re.compile("log out", re.I)).is_visible()
        page.screenshot(path=str(artifacts_dir / f"store-admin-{label}.png"), full_page=True)

        # and the live check now says the address is taken
        check = page.request.get(f"{live_server_url}/signup/check-slug/?slug={slug}")
        assert check.json()["code"] == "slug_taken"
    finally:
        context.close()
        with django_db_blocker.unblock():
            _store_delete_if_any(slug)
