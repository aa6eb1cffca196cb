"""Shipping API serializers: input serializers check shapes and types only and hand the values
to apps.shipping.services (their ApplicationError is the one error shape)."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.core.addresses import ADDRESS_FIELDS, Address
from apps.shipping.models import ShippingMethod, ShippingZone


def _amount_field(**kwargs) -> serializers.DecimalField:
    # No bounds here: the services answer with shipping's own codes (amount_negative...).
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


class PickupAddressSerializer(serializers.Serializer):
    """An address as apps.core.addresses.Address; apps.core.addresses.address_validate checks
    it (every field error at once, `attr` like "pickup_address.postal_code")."""

    def get_fields(self) -> dict:
        return {
            name: serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
            for name in ADDRESS_FIELDS
        }


class ShippingBracketSerializer(serializers.Serializer):
    lower = _amount_field(help_text="From this value (grams or subtotal), inclusive.")
    upper = _amount_field(
        allow_null=True, required=False, help_text="Up to this value, exclusive; null: no limit."
    )
    amount = _amount_field()


# A distinct component name: "ShippingMethod" is the checkout's (a shopper's choice).
@extend_schema_serializer(component_name="ShippingZoneMethod")
class ShippingMethodSerializer(serializers.ModelSerializer):
    brackets = ShippingBracketSerializer(many=True, read_only=True)
    pickup_address = serializers.SerializerMethodField()

    class Meta:
        model = ShippingMethod
        fields = [
            "id",
            "zone",
            "name",
            "description",
            "rate_type",
            "amount",
            "free_over",
            "active",
            "position",
            "delivery_estimate",
            "pickup_address",
            "brackets",
            "created",
            "updated",
        ]
        read_only_fields = fields

    @extend_schema_field(PickupAddressSerializer(allow_null=True))
    def get_pickup_address(self, method: ShippingMethod) -> dict | None:
        return Address.from_dict(method.pickup_address).to_dict() if method.pickup_address else None


class ShippingMethodWriteSerializer(serializers.Serializer):
    zone = serializers.PrimaryKeyRelatedField(queryset=ShippingZone.objects.all())
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    rate_type = serializers.ChoiceField(choices=ShippingMethod.RateType.choices)
    amount = _amount_field(required=False)
    free_over = _amount_field(required=False, allow_null=True)
    active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0)
    delivery_estimate = serializers.CharField(required=False, allow_blank=True, max_length=100)
    pickup_address = PickupAddressSerializer(required=False, allow_null=True)
    brackets = ShippingBracketSerializer(
        many=True,
        required=False,
        help_text="Weight and subtotal methods: every bracket (replaces the ones it had).",
    )


class ShippingZoneSerializer(serializers.ModelSerializer):
    methods = ShippingMethodSerializer(many=True, read_only=True)

    class Meta:
        model = ShippingZone
        fields = [
            "id",
            "name",
            "countries",
            "regions",
            "postcodes",
            "position",
            "methods",
            "created",
            "updated",
        ]
        read_only_fields = fields


class ShippingZoneWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    countries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="ISO codes; empty: rest of the world.",
    )
    regions = serializers.ListField(
        child=serializers.CharField(), required=False, help_text='Country areas, e.g. "US-CA".'
    )
    postcodes = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Patterns: prefix "SW1*", range "10000-14999" or an exact postcode.',
    )
    position = serializers.IntegerField(required=False, min_value=0)
