"""The shopper's journey in headless Chromium, in both built-in themes: home → category →
product, pick a variant, search with a typo and find the product. Screenshots at phone and
desktop width go to test-artifacts/ (storefront-<theme>-<page>-<width>.png).

Like tests/e2e, the server is a separate gunicorn process, so the store and its catalog are
committed here and deleted at the end. The server runs with DEBUG on so that it serves the
uploaded product images from MEDIA_ROOT (production serves media from its storage).
"""

import os
import subprocess
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.catalog import services as catalog_services
from apps.themes import services as theme_services
from tenants import services
from tenants.models import Tenant
from tests.catalog import factories
from tests.e2e.conftest import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    BASE_DIR,
    _database_url,
    _free_port,
    _wait_until_up,
    browser,
    chromium_path,
)

# django_db: without a test that asks for the database, pytest-django sets up no test database
# and the connection would be the development one. The test bodies themselves write nothing.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module", params=["classic", "boutique"])
def shop(request, django_db_setup, django_db_blocker, chromium_path):  # noqa: F811
    """A committed store with a small catalog in one built-in theme, served by gunicorn:
    (base url, theme name)."""
    theme = request.param
    slug = f"shop-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        tenant = services.store_provision(
            name="Harbour & Pine", slug=slug, owner_email=f"owner@{slug}.test",
            owner_password="Plenty-long-Secret-7", strategy=services.ProvisionStrategy.CLONE,
        ).tenant  # fmt: skip
        with schema_context(tenant.schema_name):
            _catalog()
            theme_services.theme_apply_builtin(name=theme)
            settings_dict = dict(connection.settings_dict)
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "gunicorn-storefront.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(settings_dict),
        "CONN_MAX_AGE": "0",
        "DEBUG": "1",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/readyz", process, log_path)
        yield f"http://{slug}.localhost:{port}", theme
    finally:
        process.terminate()
        process.wait(timeout=10)
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            store = Tenant.objects.filter(slug=slug).first()
            if store is not None:
                services.store_delete(tenant=store, confirmation=slug)
            connection.close()


def _catalog() -> None:
    outerwear = factories.category("Outerwear", description="Coats and jackets for the coast.")
    kitchen = factories.category("Kitchen", description="Things for slow mornings.")
    shirts = factories.category("Shirts", description="Linen and cotton, cut loose.")
    palette = [(186, 84, 60), (58, 96, 120), (120, 140, 96), (210, 180, 120), (90, 70, 110)]
    picks = []
    for index, (name, category, colour) in enumerate(
        [
            ("Linen Shirt", shirts, palette[0]),
            ("Harbour Jacket", outerwear, palette[1]),
            ("Field Parka", outerwear, palette[2]),
            ("Stoneware Mug", kitchen, palette[3]),
            ("Oak Serving Board", kitchen, palette[4]),
        ]
    ):
        if name == "Linen Shirt":
            product = factories.product_with_variants(
                name, category=category, sku_prefix="LIN",
                prices={("S", "Red"): "38.00", ("M", "Red"): "42.00", ("L", "Blue"): "46.00"},
                description="<p>Washed linen that softens with every wear.</p>",
            )  # fmt: skip
            sale = product.variants.get(sku="LIN-M-RED")
            catalog_services.variant_update(variant=sale, compare_at_price="55.00")
        else:
            product = factories.product(
                name, price=f"{24 + index * 11}.00", category=category, sku=f"HP-{index}",
                description=f"<p>{name}: made to last, from honest materials.</p>",
            )  # fmt: skip
        factories.product_image(product, alt_text=f"{name}, front view", size=(900, 900),
                                color=colour)  # fmt: skip
        factories.product_image(product, alt_text=f"{name}, detail", size=(900, 900),
                                color=tuple(c // 2 for c in colour))  # fmt: skip
        catalog_services.product_set_status(product=product, status="published")
        picks.append(product.pk)
    catalog_services.collection_create(
        name="Summer Picks", description="Light things for long days by the water.",
        is_published=True, is_featured=True, product_ids=picks[:4],
    )  # fmt: skip


@pytest.mark.parametrize(("viewport", "width"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_browse_pick_a_variant_and_search(shop, browser, viewport, width):  # noqa: F811
    base, theme = shop

    def shot(name: str) -> None:
        page.screenshot(
            path=str(ARTIFACTS / f"storefront-{theme}-{name}-{width}.png"), full_page=True
        )

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        # home
        page.goto(f"{base}/")
        assert page.locator("body").get_attribute("class") == f"layout-{theme}"
        page.get_by_role("heading", name="Summer Picks").wait_for()
        shot("home")
        # the page never scrolls sideways at 360 px
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        # → category, from the header's category links
        page.get_by_role("navigation", name="Categories").get_by_role("link", name="Shirts").click()
        page.wait_for_url(f"{base}/categories/shirts/")
        page.get_by_role("heading", name="Shirts", level=1).wait_for()
        shot("category")
        # → product
        page.get_by_role("link", name="Linen Shirt").first.click()
        page.wait_for_url(f"{base}/products/linen-shirt/")
        assert page.locator(".price__now").first.inner_text() == "$38.00"
        # pick L / Blue: the radios submit the form (JS); the server picks the variant
        page.get_by_text("L", exact=True).click()
        page.wait_for_url("**/products/linen-shirt/?*")
        page.locator("label", has_text="Blue").click()
        page.locator("#sku", has_text="LIN-L-BLUE").wait_for()
        assert page.locator(".price__now").first.inner_text() == "$46.00"
        shot("product")
        # search with a typo
        search = page.get_by_role("searchbox", name="Search products")
        search.fill("linnen shrt")
        search.press("Enter")
        page.wait_for_url("**/search/?q=linnen+shrt")
        page.get_by_role("link", name="Linen Shirt").first.wait_for()
        shot("search")
        # keyboard: the first Tab reaches the skip link, which is then visible
        page.goto(f"{base}/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to content"
    finally:
        context.close()
