"""The description editor: Quill and its plugins served by us (no CDN), and no way for a stored
description to run script in the merchant's admin."""

import re

from django_tenants.utils import schema_context

from apps.catalog.models import Product
from tests.catalog import factories
from tests.catalog.admin.helpers import PRODUCTS, product_data, variant_row

VENDOR_ASSETS = [
    "/static/vendor/quill/dist/quill.min.js",
    "/static/vendor/quill/dist/quill.snow.css",
    "/static/vendor/%40highlightjs/cdn-assets/highlight.min.js",
    "/static/vendor/%40highlightjs/cdn-assets/styles/darcula.min.css",
    "/static/vendor/quill-image-compress/dist/quill.imageCompressor.min.js",
    "/static/vendor/%40botom/quill-resize-module/dist/quill-resize-module.min.js",
    "/static/vendor/quill-resize-module/dist/resize.css",
    "/static/admin-extra/quill-field.js",
    "/static/admin-extra/quill-field.css",
]
ASSET_URL = re.compile(r'(?:src|href)="([^"]+\.(?:js|css))"')


def test_the_editor_assets_are_ours_and_served(owner_a, store_a):
    # given
    with schema_context(store_a.schema):
        product = factories.product("Edited")
    # when
    html = owner_a.get(f"{PRODUCTS}{product.pk}/change/").content.decode()
    # then: every script and stylesheet is a local URL that answers (no CDN)
    for asset in VENDOR_ASSETS:
        assert f'"{asset}"' in html, f"{asset} is not on the page"
    urls = ASSET_URL.findall(html)
    assert urls
    assert [url for url in urls if not url.startswith("/static/")] == []
    assert "cdn." not in html
    assert "jsdelivr" not in html
    assert "cdnjs" not in html
    for url in urls:
        response = owner_a.get(url)
        assert response.status_code == 200, (
            f"{url} answered {response.status_code} (run `make vendor-assets`)"
        )


def test_the_add_page_has_the_editor_too(owner_a):
    html = owner_a.get(f"{PRODUCTS}add/").content.decode()
    assert 'data-store-quill data-config="' in html
    assert '"/static/vendor/quill/dist/quill.min.js"' in html


MALICIOUS = (
    "<p>Nice</p></script><script>alert('out')</script>"
    "<img src=x onerror=\"alert('img')\">`; alert('tick'); `${alert('tpl')}"
    '<a href="javascript:alert(1)">click</a>'
)


def test_a_malicious_stored_description_cannot_run_in_the_admin(owner_a, store_a):
    # given: a description that bypassed the services (old data, a raw SQL import...)
    with schema_context(store_a.schema):
        product = factories.product("Trap")
        Product.objects.filter(pk=product.pk).update(description=MALICIOUS)
    # when
    html = owner_a.get(f"{PRODUCTS}{product.pk}/change/").content.decode()
    # then: no script of ours inline, none of the payload executable
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert all("alert" not in body for body in inline_scripts)
    # the editor gets the sanitised HTML, attribute-escaped in the hidden input
    (value,) = re.findall(
        r'<input type="hidden" name="description" id="id_description" value="([^"]*)">', html
    )
    assert "&lt;script" not in value
    assert value.startswith("&lt;p&gt;Nice&lt;/p&gt;")
    # what is left of the payload is text, inert inside a quoted attribute
    assert "`; alert(&#x27;tick&#x27;); `${alert(&#x27;tpl&#x27;)}" in value


def test_a_malicious_posted_description_is_stored_sanitised(owner_a, store_a):
    response = owner_a.post(
        f"{PRODUCTS}add/",
        product_data(
            name="Posted trap", description=MALICIOUS, variants=[variant_row("TRAP", "1")]
        ),
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        stored = Product.objects.get(name="Posted trap").description
    assert "<script" not in stored
    assert "onerror" not in stored
    assert "javascript:" not in stored
    assert stored.startswith("<p>Nice</p>")


def test_a_refused_save_re_renders_the_posted_description_sanitised(owner_a, store_a):
    # given: a POST that fails (publishing without a price) with a malicious description
    response = owner_a.post(
        f"{PRODUCTS}add/",
        product_data(
            name="Trap again",
            status="published",
            description='{"delta": "{}", "html": "' + MALICIOUS.replace('"', '\\"') + '"}',
        ),
    )
    # then: the page comes back with the input, and the payload is still inert
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "&lt;p&gt;Nice&lt;/p&gt;" in html
