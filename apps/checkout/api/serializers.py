"""Checkout API serializers. Input serializers only check shapes and hand the values to
apps.checkout.services, which own every rule (addresses per country, methods that apply, the
idempotency key); their ApplicationError is the one error shape, on the field it names
("shipping_address.postal_code"). Output: the view builds plain dicts (checkout_payload);
the serializers below document that shape for OpenAPI and turn Decimals into strings.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.orders.api.serializers import AddressSerializer, OrderSerializer

ADDRESS_HELP = (
    "first_name, last_name, company, street_address_1, street_address_2, city, city_area, "
    "postal_code, country_code (ISO 3166-1 alpha-2), country_area, phone; checked per country. "
    "null removes it (billing: then the same as shipping)."
)


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


# --- input ----------------------------------------------------------------------------------


class CheckoutCreateSerializer(serializers.Serializer):
    cart = serializers.CharField(max_length=64, help_text="The cart's token.")


def _address_part(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


class AddressInputSerializer(serializers.Serializer):
    """Only types here: what a country requires and how long each part may be are the
    address service's checks (apps.core.addresses), reported per field."""

    first_name = _address_part()
    last_name = _address_part()
    company = _address_part()
    street_address_1 = _address_part()
    street_address_2 = _address_part()
    city = _address_part()
    city_area = _address_part()
    postal_code = _address_part()
    country_code = _address_part(help_text="ISO 3166-1 alpha-2, e.g. GB.")
    country_area = _address_part()
    phone = _address_part()


class CheckoutUpdateSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    shipping_address = AddressInputSerializer(
        required=False, allow_null=True, help_text=ADDRESS_HELP
    )
    billing_address = AddressInputSerializer(
        required=False, allow_null=True, help_text=ADDRESS_HELP
    )
    shipping_method = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text='A `shipping_methods[].id` of this checkout ("table:12"); empty unsets it.',
    )
    payment_method = serializers.CharField(
        required=False, max_length=40, help_text="A `payment_methods[].code` of this checkout."
    )
    customer_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CardSerializer(serializers.Serializer):
    """Documentation of the test gateway's card; the provider checks it (payment.<field>)."""

    number = serializers.CharField(
        help_text="4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined (test gateway)."
    )
    exp_month = serializers.CharField()
    exp_year = serializers.CharField()
    cvc = serializers.CharField()


@extend_schema_field(CardSerializer)
class PaymentDataField(serializers.DictField):
    """Whatever the payment method takes, passed on as it is (documented as a card)."""


class CheckoutCompleteSerializer(serializers.Serializer):
    expected_total = _money(
        required=False,
        allow_null=True,
        help_text="The total the shopper saw on the review step: if the price moved since, "
        "nothing is placed (409 total_changed, with the new total).",
    )
    payment = PaymentDataField(
        required=False,
        allow_null=True,
        help_text="The payment method's data: for a card method (`needs_card`), number, "
        "exp_month, exp_year, cvc.",
    )


# --- output (documentation of checkout_payload / complete_payload) -------------------------


class CheckoutLineSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The cart line's id.")
    variant_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = _money()
    subtotal = _money()
    discount = _money()
    tax_rate = serializers.DecimalField(max_digits=6, decimal_places=3)
    tax = _money()
    total = _money()
    problem = serializers.CharField(
        help_text="Why this line cannot be bought as it is (sold out, only n left, no longer "
        "sold); empty when it can."
    )


class CheckoutDiscountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    code = serializers.CharField()
    amount = _money()


class ShippingOptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    amount = _money()
    currency = serializers.CharField()
    description = serializers.CharField()
    estimate = serializers.CharField()
    pickup_address = AddressSerializer(allow_null=True)


class CheckoutPaymentMethodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What payment_method takes.")
    name = serializers.CharField()
    instructions = serializers.CharField(help_text="For the shopper, e.g. bank details.")
    needs_card = serializers.BooleanField(help_text="Send card details as `payment` on complete.")


class CheckoutSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The checkout's id in /api/v1/checkouts/{token}/.")
    cart = serializers.CharField(help_text="The cart's token.")
    email = serializers.CharField()
    shipping_address = AddressSerializer(allow_null=True)
    billing_address = AddressSerializer(allow_null=True)
    shipping_method = ShippingOptionSerializer(
        allow_null=True, help_text="The chosen method, priced now."
    )
    payment_method = serializers.CharField(help_text="The chosen method's code, or empty.")
    customer_note = serializers.CharField()
    voucher_code = serializers.CharField()
    currency = serializers.CharField()
    lines = CheckoutLineSerializer(many=True)
    discounts = CheckoutDiscountSerializer(many=True)
    subtotal = _money()
    discount_total = _money()
    shipping_total = _money()
    tax_total = _money()
    total = _money()
    prices_include_tax = serializers.BooleanField()
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="What stops this checkout from becoming an order as it is (lines that "
        "cannot be bought, a shipping method that no longer applies).",
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="Steps still to give before complete: email, shipping_address, "
        "shipping_method, payment_method.",
    )
    shipping_methods = ShippingOptionSerializer(
        many=True,
        help_text="The ways to ship to the shipping address, priced (empty without an address).",
    )
    payment_methods = CheckoutPaymentMethodSerializer(many=True)


class PaymentOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    status = serializers.CharField(
        help_text="captured (paid), authorized, pending (awaiting a manual payment: see "
        "instructions), failed (declined: error_code and message), refunded, voided."
    )
    amount = _money()
    error_code = serializers.CharField()
    message = serializers.CharField()
    instructions = serializers.CharField()


class CheckoutCompletedSerializer(serializers.Serializer):
    order = OrderSerializer()
    payment = PaymentOutcomeSerializer(
        allow_null=True, help_text="The order's payment attempt (null when none was made)."
    )
