"""The description editor in headless Chromium, with no network but our own server: Quill loads
from /static/vendor/, shows the stored description, and what the merchant types is saved.

Uses the browser fixtures of tests/e2e (gunicorn on loopback against the test database, Debian's
chromium). The server is another process, so the product is committed here and deleted after.
"""

import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.catalog import services
from tenants import services as tenant_services
from tests.e2e.conftest import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM_ARGS,
    chromium_path,
    live_server_url,
    mail_dir,
    media_root,
)

# django_db: without a test that asks for the database, pytest-django would not create the
# test database and the fixtures would write to the development one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


OWNER_PASSWORD = "Quill-Editor-Pass-9"


# Module scope, committed: set up before any test transaction or browser loop exists, and a
# store of its own (deleted at the end), as the live server cannot see a test's transaction.
@pytest.fixture(scope="module")
def committed_product(django_db_setup, django_db_blocker):
    slug = f"quill-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test")
        connection.set_schema_to_public()
        store = tenant_services.store_provision(
            name="Quill store",
            slug=slug,
            owner_email=f"owner@{slug}.test",
            owner_password=OWNER_PASSWORD,
            strategy=tenant_services.ProvisionStrategy.CLONE,
        ).tenant
        with tenant_context(store):
            product = services.product_create(
                name="Browser kettle",
                description="<p>Boils <strong>fast</strong>.</p><script>window.pwned = 1</script>",
                price="30.00",
            )
        connection.set_schema_to_public()
    try:
        yield store, product
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            try:
                tenant_services.store_delete(tenant=store, confirmation=slug)
            finally:
                connection.close()


@pytest.fixture
def browser(db, chromium_path):  # noqa: F811
    """Chromium for one test, started after `db`: the test transaction then belongs to this
    thread's own connection, not to one Playwright's loop would open (and nobody close)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_editor_works_offline_and_saves_what_is_typed(
    committed_product,
    browser,
    live_server_url,  # noqa: F811
):
    store, product = committed_product
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{store.primary_host}:{port}"
    context = browser.new_context()
    page = context.new_page()
    # Anything not on our own server is refused: a CDN reference would break the editor.
    outside = []

    def only_ours(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}/admin/login/?next=/admin/")
        page.fill("#id_username", store.owner_email)
        page.fill("#id_password", OWNER_PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{base}/admin/catalog/product/{product.pk}/change/")
        editor = page.locator(".store-quill .ql-editor")
        editor.wait_for()
        # then: the stored (sanitised) description is in the editor, the script never ran
        assert editor.inner_html() == "<p>Boils <strong>fast</strong>.</p>"
        assert page.evaluate("window.pwned") is None
        # when: the merchant adds a line and saves
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.type("Holds 1.7 litres.")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-product-editor.png"), full_page=True)
        page.click("input[name=_save]")
        page.wait_for_url(f"{base}/admin/catalog/product/")
        # then: the change page now starts from the saved, sanitised description
        page.goto(f"{base}/admin/catalog/product/{product.pk}/change/")
        saved = page.locator("#id_description").get_attribute("value")
        page.locator(".store-quill .ql-editor").wait_for()
    finally:
        context.close()
    assert outside == []
    assert errors == []
    assert saved == "<p>Boils <strong>fast</strong>.</p><p>Holds 1.7 litres.</p>"
