"""Shapes of the cart API. Output: a CartView (apps.cart.selectors), priced on the server for
every answer. Input: types only; apps.cart.services check the rules."""

from rest_framework import serializers


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


class OptionOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField()


class CartLineOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField(allow_null=True)
    product_id = serializers.IntegerField(allow_null=True)
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    options = OptionOutSerializer(many=True)
    image_url = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = _money(allow_null=True)
    compare_at_price = _money(allow_null=True)
    subtotal = _money()
    discount = _money()
    promotion_name = serializers.CharField()
    total = _money()
    status = serializers.ChoiceField(
        choices=["ok", "backorder", "insufficient", "out_of_stock", "unavailable"],
        help_text="ok / backorder: can be bought; insufficient: lower the quantity; "
        "out_of_stock / unavailable: remove the line.",
    )
    message = serializers.CharField(help_text='For people, e.g. "Only 3 left." ("" when ok).')
    available = serializers.IntegerField(
        allow_null=True, help_text="Units available now (null: not limited by stock)."
    )


class AppliedVoucherSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    amount = _money()
    free_shipping = serializers.BooleanField()


class VoucherProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. voucher_expired, voucher_min_subtotal.")
    message = serializers.CharField()


class AppliedDiscountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["promotion", "voucher"])
    name = serializers.CharField()
    code = serializers.CharField()
    amount = _money()


class CartOutSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The cart's id in this API; keep it secret.")
    currency = serializers.CharField()
    lines = CartLineOutSerializer(many=True)
    subtotal = _money()
    discount_total = _money()
    total = _money(help_text="Subtotal less discounts; shipping and tax come at checkout.")
    item_count = serializers.IntegerField()
    voucher_code = serializers.CharField()
    voucher = AppliedVoucherSerializer(allow_null=True)
    voucher_problem = VoucherProblemSerializer(
        allow_null=True, help_text="Why the applied code gives nothing now (null: it applies)."
    )
    discounts = AppliedDiscountSerializer(many=True, source="applied")
    free_shipping = serializers.BooleanField()
    can_checkout = serializers.BooleanField()
    email = serializers.CharField()


class CartCreateSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, allow_blank=True, required=False)


class CartLineAddSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(required=False, default=1)


class CartLineQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(help_text="0 removes the line.")


class CartVoucherSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100, allow_blank=True)


class CartMergeSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100, help_text="The anonymous cart to merge.")
