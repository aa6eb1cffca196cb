"""Pinned SQL query counts of the cart: the same for one line as for twelve (with options,
images, promotions and a voucher), for cart_view, the API's cart and the cart page."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.cart import selectors, services
from apps.cart.cookies import CART_COOKIE
from apps.cart.models import Cart
from apps.discounts import services as discounts
from tests.cart.conftest import shirt_variants, stocked_variant
from tests.catalog import factories


def _cart(schema: str, lines: int) -> str:
    """A cart of `lines` lines (shirts with options and images, mugs), a category promotion, a
    product promotion and a voucher with a chosen-products scope. Its token."""
    with schema_context(schema):
        shirts = factories.category("Shirts")
        discounts.promotion_create(
            name="Shirts", kind="percentage", value="10", category_ids=[shirts.pk]
        )
        variants = []
        for n in range(lines):
            if n % 2:
                variants.append(stocked_variant(f"Mug {n}", price="5.00"))
            else:
                variant = shirt_variants(category=shirts, sku_prefix=f"S{n}")[0]
                factories.product_image(variant.product)
                variants.append(variant)
        discounts.promotion_create(
            name="Mugs",
            kind="fixed",
            value="1.00",
            product_ids=[v.product_id for v in variants[1::2]] or [variants[0].product_id],
        )
        discounts.voucher_create(
            code="SOME",
            kind="fixed",
            value="3.00",
            scope="selected",
            product_ids=[v.product_id for v in variants],
        )
        cart = services.cart_create()
        for variant in variants:
            services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=2)
        services.cart_voucher_apply(cart=cart, code="SOME")
        return cart.token


@pytest.mark.parametrize("lines", [1, 12])
def test_cart_view_is_four_queries_whatever_the_lines(in_a, lines, django_assert_num_queries):
    cart = Cart.objects.get(token=_cart(in_a.schema, lines))
    # 1. the lines with variant, product, category, option values and first image;
    # 2. availability; 3. the running promotions with their scopes; 4. the voucher with its
    # scope and this shopper's uses.
    with django_assert_num_queries(4):
        view = selectors.cart_view(cart)
    assert len(view.lines) == lines
    assert view.voucher is not None
    assert view.applied[0].kind == "promotion"


@pytest.mark.parametrize("lines", [1, 12])
def test_the_api_cart_is_five_queries(store_a, lines, django_assert_num_queries):
    token = _cart(store_a.schema, lines)
    api = APIClient(HTTP_HOST=store_a.host)
    api.get("/api/v1/carts/x/")  # warm: the worker's host map
    # 1. the cart by its token; 2-5. cart_view's four.
    with django_assert_num_queries(5):
        body = api.get(f"/api/v1/carts/{token}/").json()
    assert len(body["lines"]) == lines


@pytest.mark.parametrize("lines", [1, 12])
def test_the_cart_page_is_five_queries(store_a, lines, django_assert_num_queries):
    token = _cart(store_a.schema, lines)
    client = Client(HTTP_HOST=store_a.host)
    client.cookies[CART_COOKIE] = token
    client.get("/cart/")  # warm: the host map, the theme snapshot, the store's configuration
    # 1. the cart by its cookie's token; 2-4. cart_view's four but the running promotions
    # (from the store's configuration memo, apps.core.store_config); 5. the category tree.
    with django_assert_num_queries(5):
        response = client.get("/cart/")
    assert response.status_code == 200
    assert response.content.decode().count('class="cart-line ') == lines
