"""Orders API serializers: an order as placed (its frozen lines, totals, addresses and
shipping), for staff, for its customer and for a guest holding its token. Read-only: orders
change through their services (payments, cancellation), never by writing these fields."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.orders.models import Order, OrderLine


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class AddressSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    company = serializers.CharField()
    street_address_1 = serializers.CharField()
    street_address_2 = serializers.CharField()
    city = serializers.CharField()
    city_area = serializers.CharField()
    postal_code = serializers.CharField()
    country_code = serializers.CharField()
    country_area = serializers.CharField()
    phone = serializers.CharField()


class TaxRateTotalSerializer(serializers.Serializer):
    name = serializers.CharField()
    rate = serializers.CharField()
    taxable = serializers.CharField()
    tax = serializers.CharField()


class OrderDiscountSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="promotion or voucher")
    name = serializers.CharField()
    code = serializers.CharField()
    amount = serializers.CharField()


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "variant_id",
            "product_name",
            "variant_name",
            "sku",
            "quantity",
            "unit_price",
            "discount",
            "tax_rate",
            "tax",
            "total",
        ]
        read_only_fields = fields


class OrderShippingSerializer(serializers.Serializer):
    id = serializers.CharField(source="shipping_method_id")
    name = serializers.CharField(source="shipping_method_name")
    amount = _money(source="shipping_total")


class OrderSerializer(serializers.ModelSerializer):
    """Built from an order with its lines prefetched (apps.orders.api.views.orders_for_api)."""

    lines = OrderLineSerializer(many=True, read_only=True)
    shipping_address = serializers.SerializerMethodField()
    billing_address = serializers.SerializerMethodField()
    shipping_method = serializers.SerializerMethodField()
    payment_method = serializers.CharField(source="payment_provider", read_only=True)
    tax_breakdown = TaxRateTotalSerializer(many=True, read_only=True)
    discounts = OrderDiscountSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "token",
            "status",
            "payment_status",
            "customer",
            "email",
            "currency",
            "lines",
            "subtotal",
            "discount_total",
            "shipping_total",
            "tax_total",
            "total",
            "prices_include_tax",
            "tax_breakdown",
            "discounts",
            "voucher_code",
            "shipping_address",
            "billing_address",
            "shipping_method",
            "payment_method",
            "customer_note",
            "placed_at",
            "updated",
        ]
        read_only_fields = fields

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_shipping_address(self, order: Order):
        return order.shipping_address

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_billing_address(self, order: Order):
        return order.billing_address

    @extend_schema_field(OrderShippingSerializer(allow_null=True))
    def get_shipping_method(self, order: Order):
        if not order.shipping_method_id:
            return None
        return OrderShippingSerializer(order).data


class OrderFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.Status.choices, required=False)
    payment_status = serializers.ChoiceField(choices=Order.PaymentStatus.choices, required=False)
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only orders changed at or after this time (ISO 8601), oldest change first: "
        "what an integration polls with.",
    )
