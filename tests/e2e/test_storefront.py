"""A shopper's journey through the demo catalog in headless Chromium: home → a category → a
product, pick a variant and see its price, then search with a typo and still find it.

Run twice: at phone width with JavaScript (choosing an option submits the form by itself) and
at desktop width with JavaScript off (the same choice through the form's own button), so the
variant picker is proven to work without JavaScript. Screenshots of every step land in
test-artifacts/storefront-<step>-<width>.png.
"""

import re
import shutil
import uuid

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from apps.catalog import demo
from tenants import services
from tenants.models import Tenant

# django_db: pytest-django creates the test database only when some collected test asks for
# it; without the mark, `pytest tests/e2e/test_storefront.py` alone would run against the
# development database. The test itself writes nothing (the fixture commits the store).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
STORE_NAME = "Fernhill Outfitters"


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


@pytest.fixture(scope="module")
def demo_store(django_db_setup, django_db_blocker, media_root):
    """A committed store with the demo catalog, its pictures in the live server's media_root;
    deleted at the end with its media files."""
    slug = f"fernhill-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
        assert database.startswith("test"), f"refusing to seed a store in {database!r}"
        connection.set_schema_to_public()
        store = services.store_provision(
            name=STORE_NAME,
            slug=slug,
            owner_email=f"owner@{slug}.test",
            owner_password="Plenty-long-Secret-7",
            strategy=services.ProvisionStrategy.CLONE,
        ).tenant
        with tenant_context(store), override_settings(MEDIA_ROOT=str(media_root)):
            demo.demo_catalog_seed()
        connection.set_schema_to_public()
    try:
        yield store
    finally:
        with django_db_blocker.unblock():
            _store_delete_if_any(slug)
        shutil.rmtree(media_root / store.schema_name, ignore_errors=True)


def _assert_picture_shown(page, image) -> None:
    """The picture arrived and decoded: a missing or unserved file leaves naturalWidth 0."""
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=5000
    )


@pytest.mark.parametrize(
    ("viewport", "label", "javascript"),
    [(PHONE, "phone", True), (DESKTOP, "desktop", False)],
)
def test_a_shopper_browses_picks_a_variant_and_finds_it_again_despite_a_typo(
    demo_store, live_server_url, browser, artifacts_dir, viewport, label, javascript
):
    from playwright.sync_api import expect

    # given
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{demo_store.primary_host}:{port}"
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    # Every product picture the pages ask for: (status, url).
    media = []
    page.on(
        "response",
        lambda response: (
            media.append((response.status, response.url)) if "/media/" in response.url else None
        ),
    )

    def screenshot(step: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"storefront-{step}-{label}.png"), full_page=True)

    try:
        # when: the shopper lands on the home page
        page.goto(f"{base}/")

        # then: the store's name, and its featured collection
        expect(page.get_by_role("heading", level=1, name=STORE_NAME)).to_be_visible()
        featured = page.get_by_role("region", name="The Autumn Trail Edit")
        expect(featured.get_by_role("link", name="Ridgeline Waterproof Shell")).to_be_visible()
        # and pictures: the hero and the featured products' cards (served from media_root)
        _assert_picture_shown(page, page.locator(".hero__media img"))
        _assert_picture_shown(page, featured.locator(".card__media img").first)
        screenshot("home")

        # when: they open a category from the header
        categories = page.get_by_role("navigation", name="Categories")
        categories.get_by_role("link", name="Camping", exact=True).click()

        # then: the category lists its sub-categories' products too
        page.wait_for_url(f"{base}/categories/camping/")
        expect(page.get_by_role("heading", level=1, name="Camping")).to_be_visible()
        expect(categories.get_by_role("link", name="Camping", exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        _assert_picture_shown(page, page.locator(".card__media img").first)
        screenshot("category")

        # when: they open a product
        page.get_by_role("link", name="Ember Three-Season Sleeping Bag").click()

        # then: its page, with the first variant's price and its pictures
        page.wait_for_url(f"{base}/products/ember-three-season-sleeping-bag/")
        summary = page.get_by_role("region", name="Ember Three-Season Sleeping Bag")
        expect(summary.get_by_role("heading", level=1)).to_have_text(
            "Ember Three-Season Sleeping Bag"
        )
        expect(summary.get_by_text("$179.00", exact=True)).to_be_visible()
        gallery = page.get_by_role("region", name="Images of Ember Three-Season Sleeping Bag")
        first_picture = gallery.get_by_role(
            "img", name="Ember Three-Season Sleeping Bag in Rust"
        ).first
        expect(first_picture).to_be_attached()
        _assert_picture_shown(page, first_picture)

        # when: they choose the long size (a label click, as a shopper does; without
        # JavaScript the form's own button sends the choice)
        size = summary.get_by_role("group", name="Size")
        size.get_by_text("Long", exact=True).click()
        if not javascript:
            summary.get_by_role("button", name="Show this choice").click()

        # then: the server picked that variant and shows its own price
        page.wait_for_url(re.compile(r"/products/ember-three-season-sleeping-bag/\?.*size=long"))
        summary = page.get_by_role("region", name="Ember Three-Season Sleeping Bag")
        expect(summary.get_by_role("group", name="Size").get_by_label("Long")).to_be_checked()
        expect(summary.get_by_text("$195.00", exact=True)).to_be_visible()
        # in stock or sold out, the page names the combination picked (demo stock varies)
        expect(page.locator("#availability")).to_have_text(
            re.compile(r"^(In stock|Sold out): Long / Rust")
        )
        screenshot("product")

        # when: they search with a typo, from the header's search box
        search = page.get_by_role("search").get_by_label("Search products")
        search.fill("sleping bagg")
        search.press("Enter")

        # then: the product is found all the same
        page.wait_for_url(re.compile(r"/search/\?q=sleping\+bagg"))
        results = page.get_by_role("region", name="Results")
        expect(results.get_by_role("link", name="Ember Three-Season Sleeping Bag")).to_be_visible()
        screenshot("search")

        # and every picture asked for along the way was served (304: the browser's copy of a
        # picture an earlier page showed is still good)
        assert media, "the pages asked for no product pictures"
        assert [(status, url) for status, url in media if status not in (200, 304)] == []
    finally:
        context.close()
        # With Playwright's loop running, the django_db transaction of this test sits on a
        # connection of its own that pytest-django never closes (it would keep the test
        # database from being dropped). Closing it inside the transaction is safe: PostgreSQL
        # rolls back, and the test wrote nothing.
        connection.close()
