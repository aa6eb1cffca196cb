"""Cart services: finding and creating carts, lines checked against availability with a clear
message, vouchers with their reasons, the merge at login, and the database's invariants."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.cart import selectors, services
from apps.cart.models import Cart, CartLine
from apps.catalog import services as catalog
from apps.core.exceptions import ApplicationError
from apps.discounts import services as discounts
from apps.inventory import services as inventory
from tests.cart.conftest import stock_set, stocked_variant
from tests.catalog import factories

D = Decimal


def refusal(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


def quantities(cart: Cart) -> dict[str, int]:
    return dict(CartLine.objects.filter(cart=cart).values_list("sku", "quantity"))


# --- finding a cart ---------------------------------------------------------------------------
def test_an_anonymous_cart_is_found_by_its_token_and_never_takes_a_callers_token(in_a):
    cart = services.cart_get_or_create()
    assert len(cart.token) == 43
    assert services.cart_get_or_create(token=cart.token) == cart
    planted = services.cart_get_or_create(token="chosen-by-someone-else")
    assert planted != cart
    assert planted.token != "chosen-by-someone-else"


def test_a_customer_has_one_open_cart_and_its_token_alone_does_not_open_it(in_a, customer):
    cart = services.cart_get_or_create(customer=customer)
    assert services.cart_get_or_create(customer=customer) == cart
    assert selectors.cart_find(token=cart.token, customer=customer) == cart
    assert selectors.cart_find(token=cart.token, customer=None) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(customer=customer)


def test_a_closed_cart_is_history_and_the_customer_gets_a_new_one(in_a, customer):
    variant = stocked_variant("Mug")
    cart = services.cart_get_or_create(customer=customer)
    services.cart_close(cart=cart)
    error = refusal(services.cart_line_add, cart=cart, variant_id=variant.pk)
    assert (error.code, error.status_code) == ("cart_closed", 409)
    assert selectors.cart_find(token=cart.token, customer=customer) is None
    assert services.cart_get_or_create(customer=customer) != cart


# --- lines --------------------------------------------------------------------------------
def test_adding_the_same_variant_adds_to_its_line(in_a):
    variant = stocked_variant("Mug", stock=10)
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=2)
    line = services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=3)
    assert line.quantity == 5
    assert CartLine.objects.filter(cart=cart).count() == 1
    assert (line.product_name, line.sku) == ("Mug", variant.sku)


def test_adding_more_than_is_available_says_how_many_are_left(in_a):
    variant = stocked_variant("Mug", stock=3)
    cart = services.cart_create()
    error = refusal(services.cart_line_add, cart=cart, variant_id=variant.pk, quantity=4)
    assert (error.code, error.message, error.field, error.extra) == (
        "quantity_unavailable", "Only 3 left of Mug.", "quantity", {"available": 3},
    )  # fmt: skip
    services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=2)
    error = refusal(services.cart_line_add, cart=cart, variant_id=variant.pk, quantity=2)
    assert error.message == "Only 3 left of Mug and your cart already has 2."
    assert quantities(cart) == {variant.sku: 2}


def test_variants_that_cannot_be_bought_are_refused_with_their_reason(in_a):
    cart = services.cart_create()
    sold_out = stocked_variant("Sold Out", stock=0)
    draft = factories.product("Draft Lamp", price="9.00").variants.get()
    assert refusal(services.cart_line_add, cart=cart, variant_id=sold_out.pk).message == (
        "Sold Out is out of stock."
    )
    error = refusal(services.cart_line_add, cart=cart, variant_id=draft.pk)
    assert (error.code, error.message) == ("variant_unavailable", "Draft Lamp is not available.")
    assert refusal(services.cart_line_add, cart=cart, variant_id=99999).code == (
        "variant_not_found"
    )
    assert refusal(services.cart_line_add, cart=cart, variant_id=sold_out.pk, quantity=0).code == (
        "quantity_invalid"
    )
    assert not CartLine.objects.filter(cart=cart).exists()


def test_backorderable_and_untracked_variants_take_any_quantity(in_a):
    backorders = stocked_variant("Preorder", stock=1)
    inventory.policy_update(variant=backorders, allow_backorders=True)
    untracked = stocked_variant("Download", stock=None)
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=backorders.pk, quantity=5)
    services.cart_line_add(cart=cart, variant_id=untracked.pk, quantity=40)
    assert quantities(cart) == {backorders.sku: 5, untracked.sku: 40}


def test_set_quantity_checks_increases_allows_decreases_and_zero_removes(in_a):
    variant = stocked_variant("Mug", stock=5)
    cart = services.cart_create()
    line = services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=4)
    stock_set(variant, 2)  # sold elsewhere meanwhile
    error = refusal(services.cart_line_set_quantity, cart=cart, line_id=line.pk, quantity=5)
    assert (error.code, error.message) == ("quantity_unavailable", "Only 2 left of Mug.")
    assert services.cart_line_set_quantity(cart=cart, line_id=line.pk, quantity=3).quantity == 3
    assert services.cart_line_set_quantity(cart=cart, line_id=line.pk, quantity=0) is None
    assert quantities(cart) == {}


def test_a_line_of_another_cart_is_not_found(in_a):
    variant = stocked_variant("Mug")
    mine, theirs = services.cart_create(), services.cart_create()
    line = services.cart_line_add(cart=theirs, variant_id=variant.pk)
    error = refusal(services.cart_line_remove, cart=mine, line_id=line.pk)
    assert (error.code, error.status_code) == ("line_not_found", 404)
    error = refusal(services.cart_line_set_quantity, cart=mine, line_id=line.pk, quantity=1)
    assert error.code == "line_not_found"
    services.cart_line_remove(cart=theirs, line_id=line.pk)
    assert not CartLine.objects.exists()


def test_the_database_keeps_quantities_positive_and_one_line_per_variant(in_a):
    variant = stocked_variant("Mug")
    cart = services.cart_create()
    with pytest.raises(IntegrityError), transaction.atomic():
        CartLine.objects.create(cart=cart, variant=variant, quantity=0, product_name="Mug")
    CartLine.objects.create(cart=cart, variant=variant, quantity=1, product_name="Mug")
    with pytest.raises(IntegrityError), transaction.atomic():
        CartLine.objects.create(cart=cart, variant=variant, quantity=1, product_name="Mug")


def test_a_deleted_variant_stays_in_the_cart(in_a):
    variant = stocked_variant("Mug")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=2)
    catalog.product_set_status(product=variant.product, status="draft")
    catalog.variant_delete(variant=variant)
    line = CartLine.objects.get(cart=cart)
    assert (line.variant_id, line.product_name, line.quantity) == (None, "Mug", 2)


# --- vouchers -----------------------------------------------------------------------------
def test_apply_a_voucher_stores_its_code_as_the_merchant_wrote_it(in_a):
    variant = stocked_variant("Mug", price="30.00")
    discounts.voucher_create(code="Save10", kind="percentage", value="10")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    voucher = services.cart_voucher_apply(cart=cart, code=" SAVE10 ")
    cart.refresh_from_db()
    assert (voucher.code, cart.voucher_code) == ("Save10", "Save10")
    services.cart_voucher_remove(cart=cart)
    cart.refresh_from_db()
    assert cart.voucher_code == ""


def test_a_refused_voucher_says_why_and_keeps_the_cart_as_it_was(in_a):
    variant = stocked_variant("Mug", price="30.00")
    discounts.voucher_create(code="OLD", kind="fixed", value="5")
    discounts.voucher_create(code="BIG", kind="fixed", value="5", minimum_subtotal="50")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    services.cart_voucher_apply(cart=cart, code="OLD")
    error = refusal(services.cart_voucher_apply, cart=cart, code="BIG")
    assert (error.code, error.message) == (
        "voucher_min_subtotal",
        "Spend $20.00 more to use this voucher (it needs a subtotal of $50.00).",
    )
    assert refusal(services.cart_voucher_apply, cart=cart, code="").code == "voucher_required"
    cart.refresh_from_db()
    assert cart.voucher_code == "OLD"


def test_the_minimum_subtotal_counts_the_cart_after_promotions(in_a):
    variant = stocked_variant("Mug", price="60.00")
    discounts.promotion_create(name="Quarter off", kind="percentage", value="25", scope="all")
    discounts.voucher_create(code="BIG", kind="fixed", value="5", minimum_subtotal="50")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    error = refusal(services.cart_voucher_apply, cart=cart, code="BIG")
    assert error.message == "Spend $5.00 more to use this voucher (it needs a subtotal of $50.00)."


def test_a_voucher_for_other_products_is_not_applicable(in_a):
    mug = stocked_variant("Mug")
    other = stocked_variant("Lamp")
    discounts.voucher_create(
        code="LAMPS", kind="fixed", value="5", scope="selected", product_ids=[other.product_id]
    )
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=mug.pk)
    assert refusal(services.cart_voucher_apply, cart=cart, code="LAMPS").code == (
        "voucher_not_applicable"
    )


# --- merge at login -------------------------------------------------------------------------
def test_merge_sums_quantities_caps_them_to_the_stock_and_says_so(in_a, customer):
    mug = stocked_variant("Mug", stock=5)
    lamp = stocked_variant("Lamp", stock=10)
    plate = stocked_variant("Plate", stock=10)
    mine = services.cart_get_or_create(customer=customer)
    services.cart_line_add(cart=mine, variant_id=mug.pk, quantity=3)
    services.cart_line_add(cart=mine, variant_id=plate.pk, quantity=1)
    anonymous = services.cart_create(email="me@example.com")
    services.cart_line_add(cart=anonymous, variant_id=mug.pk, quantity=4)
    services.cart_line_add(cart=anonymous, variant_id=lamp.pk, quantity=2)
    discounts.voucher_create(code="HELLO", kind="fixed", value="1")
    services.cart_voucher_apply(cart=anonymous, code="HELLO")
    # when
    result = services.cart_merge_for_login(token=anonymous.token, customer=customer)
    # then
    assert result.cart == mine
    assert result.messages == ["Only 5 left of Mug: your cart has 5."]
    assert quantities(mine) == {mug.sku: 5, lamp.sku: 2, plate.sku: 1}
    mine.refresh_from_db()
    assert (mine.voucher_code, mine.email) == ("HELLO", "me@example.com")
    assert not Cart.objects.filter(pk=anonymous.pk).exists()
    assert services.cart_merge_for_login(token=anonymous.token, customer=customer) is None


def test_merge_moves_lines_that_cannot_be_bought_as_they_are(in_a, customer):
    mug = stocked_variant("Mug", stock=2)
    anonymous = services.cart_create()
    services.cart_line_add(cart=anonymous, variant_id=mug.pk, quantity=2)
    stock_set(mug, 0)
    result = services.cart_merge_for_login(token=anonymous.token, customer=customer)
    assert quantities(result.cart) == {mug.sku: 2}  # kept, and flagged out of stock
    assert result.messages == []


def test_merge_creates_the_customers_cart_when_they_have_none(in_a, customer):
    mug = stocked_variant("Mug")
    anonymous = services.cart_create()
    services.cart_line_add(cart=anonymous, variant_id=mug.pk, quantity=1)
    result = services.cart_merge_for_login(token=anonymous.token, customer=customer)
    assert result.cart.customer == customer
    assert quantities(result.cart) == {mug.sku: 1}


def test_a_customers_cart_is_never_merged_away_by_its_token(in_a, customer):
    other = User.objects.create_user(email="other@store-a.test", password="x" * 12)
    theirs = services.cart_get_or_create(customer=other)
    assert services.cart_merge_for_login(token=theirs.token, customer=customer) is None
    assert Cart.objects.filter(pk=theirs.pk).exists()
