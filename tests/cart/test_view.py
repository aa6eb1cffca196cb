"""cart_view: the cart priced on the server every time, promotions and a voucher combined as
apps.discounts.pricing documents, lines flagged (never dropped) when they cannot be bought."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.cart import selectors, services
from apps.catalog import services as catalog
from apps.discounts import services as discounts
from apps.discounts.models import Voucher
from apps.inventory import services as inventory
from tests.cart.conftest import shirt_variants, stock_set, stocked_variant
from tests.catalog import factories

D = Decimal


def view_of(cart):
    cart.refresh_from_db()
    return selectors.cart_view(cart)


def line_of(view, sku):
    return next(line for line in view.lines if line.sku == sku)


def test_prices_are_the_variants_prices_now(in_a):
    variant = stocked_variant("Mug", price="12.50")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=2)
    catalog.variant_update(variant=variant, price=D("11.00"), compare_at_price=D("15.00"))
    view = view_of(cart)
    line = line_of(view, variant.sku)
    assert (line.unit_price, line.compare_at_price, line.subtotal, line.total) == (
        D("11.00"), D("15.00"), D("22.00"), D("22.00"),
    )  # fmt: skip
    assert (view.subtotal, view.discount_total, view.total, view.item_count) == (
        D("22.00"), D(0), D("22.00"), 2,
    )  # fmt: skip
    assert (view.currency, view.can_checkout, line.status, line.message) == ("USD", True, "ok", "")


def test_a_line_shows_its_product_options_and_thumbnail(in_a):
    shirts = factories.category("Shirts")
    medium, _large = shirt_variants(category=shirts)
    factories.product_image(medium.product, alt_text="A red linen shirt")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=medium.pk)
    line = view_of(cart).lines[0]
    assert (line.product_name, line.product_slug, line.variant_name) == (
        "Linen Shirt", medium.product.slug, "M / Red",
    )  # fmt: skip
    # in the merchant's order of option types (position, then name): Colour before Size
    values = {v.option_type.name: v.value for v in medium.option_values.all()}
    colour, size = sorted(values)
    assert colour.startswith("Colour")
    assert size.startswith("Size")
    assert line.options == [{"name": colour, "value": "Red"}, {"name": size, "value": "M"}]
    assert line.image_url.endswith(".webp")
    assert "/catalog/thumbs/" in line.image_url
    assert line.image_alt == "A red linen shirt"


def test_a_category_promotion_and_a_voucher_combine_as_documented(in_a):
    # given 20% off shirts (a parent category) and a 10% voucher on the whole order
    clothing = factories.category("Clothing")
    shirts = factories.category("Shirts", parent=clothing)
    medium, large = shirt_variants(category=shirts)  # 20.00 and 25.00
    mug = stocked_variant("Mug", price="12.50")
    discounts.promotion_create(
        name="Clothing sale", kind="percentage", value="20", category_ids=[clothing.pk]
    )
    discounts.voucher_create(code="TEN", kind="percentage", value="10")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=medium.pk, quantity=2)
    services.cart_line_add(cart=cart, variant_id=large.pk, quantity=1)
    services.cart_line_add(cart=cart, variant_id=mug.pk, quantity=1)
    services.cart_voucher_apply(cart=cart, code="ten")
    # when
    view = view_of(cart)
    # then: the promotion first, the voucher on what is left of each line
    shirt_m, shirt_l, mug_line = (line_of(view, v.sku) for v in (medium, large, mug))
    assert (shirt_m.subtotal, shirt_m.discount, shirt_m.total) == (
        D("40.00"),
        D("11.20"),
        D("28.80"),
    )
    assert (shirt_l.subtotal, shirt_l.discount, shirt_l.total) == (
        D("25.00"),
        D("7.00"),
        D("18.00"),
    )
    assert (mug_line.subtotal, mug_line.discount, mug_line.total) == (
        D("12.50"),
        D("1.25"),
        D("11.25"),
    )
    assert shirt_m.promotion_name == "Clothing sale"
    assert [(a.kind, a.name, a.code, a.amount) for a in view.applied] == [
        ("promotion", "Clothing sale", "", D("13.00")),
        ("voucher", "TEN", "TEN", D("6.45")),
    ]
    assert (view.subtotal, view.discount_total, view.total) == (
        D("77.50"), D("19.45"), D("58.05"),
    )  # fmt: skip
    assert (view.voucher.code, view.voucher.amount, view.voucher_problem) == (
        "TEN",
        D("6.45"),
        None,
    )


def test_a_fixed_voucher_is_spread_over_the_lines(in_a):
    first = stocked_variant("First", price="10.00")
    second = stocked_variant("Second", price="20.00")
    discounts.voucher_create(code="FIVE", kind="fixed", value="5.00")
    cart = services.cart_create()
    for variant in (first, second):
        services.cart_line_add(cart=cart, variant_id=variant.pk)
    services.cart_voucher_apply(cart=cart, code="FIVE")
    view = view_of(cart)
    assert [line.discount for line in view.lines] == [D("1.67"), D("3.33")]
    assert view.total == D("25.00")


def test_a_voucher_that_stopped_applying_says_why_and_takes_nothing_off(in_a):
    variant = stocked_variant("Mug", price="30.00")
    voucher = discounts.voucher_create(code="TEN", kind="percentage", value="10")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    services.cart_voucher_apply(cart=cart, code="TEN")
    Voucher.objects.filter(pk=voucher.pk).update(ends_at=timezone.now() - timedelta(hours=1))
    view = view_of(cart)
    assert view.voucher is None
    assert view.voucher_code == "TEN"
    assert view.voucher_problem.code == "voucher_expired"
    assert view.voucher_problem.message.startswith("This voucher expired on ")
    assert (view.discount_total, view.total, view.applied) == (D(0), D("30.00"), ())


def test_a_deleted_voucher_is_reported_too(in_a):
    variant = stocked_variant("Mug", price="30.00")
    voucher = discounts.voucher_create(code="TEN", kind="percentage", value="10")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    services.cart_voucher_apply(cart=cart, code="TEN")
    discounts.voucher_delete(voucher=voucher)
    assert view_of(cart).voucher_problem.code == "voucher_not_found"


def test_free_shipping_voucher(in_a):
    variant = stocked_variant("Mug", price="30.00")
    discounts.voucher_create(code="SHIPFREE", kind="free_shipping")
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=variant.pk)
    services.cart_voucher_apply(cart=cart, code="SHIPFREE")
    view = view_of(cart)
    assert (view.free_shipping, view.total, view.voucher.kind) == (
        True,
        D("30.00"),
        "free_shipping",
    )


def test_lines_that_cannot_be_bought_are_flagged_and_left_out_of_the_totals(in_a):
    ok = stocked_variant("Plate", price="5.00", stock=10)
    short = stocked_variant("Bowl", price="6.00", stock=10)
    gone = stocked_variant("Cup", price="7.00", stock=10)
    hidden = stocked_variant("Jug", price="8.00", stock=10)
    sold_out = stocked_variant("Vase", price="9.00", stock=10)
    later = stocked_variant("Pot", price="4.00", stock=10)
    cart = services.cart_create()
    for variant in (ok, short, gone, hidden, sold_out, later):
        services.cart_line_add(cart=cart, variant_id=variant.pk, quantity=3)
    stock_set(short, 2)
    catalog.product_set_status(product=gone.product, status="draft")
    catalog.variant_delete(variant=gone)
    catalog.product_set_status(product=hidden.product, status="archived")
    stock_set(sold_out, 0)
    stock_set(later, 1)
    inventory.policy_update(variant=later, allow_backorders=True)
    # when
    view = view_of(cart)
    # then every line is still there, with what is wrong with it
    states = [(line.product_name, line.status, line.message, line.available) for line in view.lines]
    assert states == [
        ("Plate", "ok", "", 10),
        ("Bowl", "insufficient", "Only 2 left. Please lower the quantity.", 2),
        ("Cup", "unavailable", "This item is no longer available. Please remove it.", None),
        ("Jug", "unavailable", "This item is no longer available. Please remove it.", None),
        ("Vase", "out_of_stock", "Out of stock. Please remove it.", 0),
        ("Pot", "backorder", "2 on backorder: they ship when they arrive.", 1),
    ]
    # the totals count what can be bought (the short line too, until it is fixed)
    assert view.subtotal == D("15.00") + D("18.00") + D("12.00")
    assert view.item_count == 18
    assert view.can_checkout is False
    gone_line = view.lines[2]
    assert (gone_line.variant_id, gone_line.unit_price, gone_line.subtotal) == (None, None, D(0))
    assert gone_line.sku == gone.sku


def test_a_cart_that_only_has_backorders_can_check_out(in_a):
    later = stocked_variant("Pot", price="4.00", stock=1)
    inventory.policy_update(variant=later, allow_backorders=True)
    cart = services.cart_create()
    services.cart_line_add(cart=cart, variant_id=later.pk, quantity=3)
    assert view_of(cart).can_checkout is True


def test_an_empty_cart(in_a):
    view = view_of(services.cart_create())
    assert (view.is_empty, view.subtotal, view.item_count, view.can_checkout) == (
        True, D(0), 0, False,
    )  # fmt: skip
