"""Inventory API serializers. Input serializers only check shapes and types; the services own
every rule (their ApplicationError is the one error shape, on the field it names)."""

from rest_framework import serializers

from apps.inventory.models import StockItem, StockLocation, StockPolicy


class StockLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockLocation
        fields = ["id", "name", "code", "is_default", "is_active", "position", "address"]
        read_only_fields = fields


class StockLocationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=40)
    is_active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0)
    address = serializers.CharField(required=False, allow_blank=True)
    is_default = serializers.BooleanField(
        required=False,
        help_text="true makes this the default location (the old one stops being it); the "
        "default cannot be unset directly.",
    )


class StockItemSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="variant.sku", read_only=True)
    available = serializers.IntegerField(
        read_only=True, help_text="on_hand - reserved (negative when backordered)."
    )

    class Meta:
        model = StockItem
        fields = [
            "id",
            "variant",
            "sku",
            "location",
            "on_hand",
            "reserved",
            "available",
            "track_inventory",
            "allow_backorders",
        ]
        read_only_fields = fields


class StockFilter(serializers.Serializer):
    variant = serializers.IntegerField(required=False, min_value=1, help_text="Variant id.")
    location = serializers.IntegerField(required=False, min_value=1, help_text="Stock location id.")


_LOCATION_HELP = "Stock location id; null or absent: the default location."


class ReceiveSerializer(serializers.Serializer):
    variant = serializers.IntegerField(help_text="Variant id.")
    location = serializers.IntegerField(required=False, allow_null=True, help_text=_LOCATION_HELP)
    quantity = serializers.IntegerField(help_text="Units received (> 0).")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text='What caused it, as "type:id", e.g. "po:2024-17" or "import:may".',
    )


class AdjustSerializer(serializers.Serializer):
    variant = serializers.IntegerField(help_text="Variant id.")
    location = serializers.IntegerField(required=False, allow_null=True, help_text=_LOCATION_HELP)
    quantity = serializers.IntegerField(
        required=False, help_text="The new on-hand count (a stock-take). Give this or delta."
    )
    delta = serializers.IntegerField(
        required=False, help_text="The change to on hand, e.g. -2. Give this or quantity."
    )
    reason = serializers.CharField(allow_blank=True, max_length=255, help_text="Required.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=120)


class TransferSerializer(serializers.Serializer):
    variant = serializers.IntegerField(help_text="Variant id.")
    from_location = serializers.IntegerField(
        required=False, allow_null=True, help_text=_LOCATION_HELP
    )
    to_location = serializers.IntegerField(
        required=False, allow_null=True, help_text=_LOCATION_HELP
    )
    quantity = serializers.IntegerField(help_text="Unreserved on-hand units to move (> 0).")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


class TransferResultSerializer(serializers.Serializer):
    source = StockItemSerializer()
    destination = StockItemSerializer()


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = StockPolicy
        fields = ["variant", "track_inventory", "allow_backorders", "low_stock_threshold"]
        read_only_fields = fields


class PolicyWriteSerializer(serializers.Serializer):
    variant = serializers.IntegerField(help_text="Variant id.")
    track_inventory = serializers.BooleanField(required=False)
    allow_backorders = serializers.BooleanField(required=False)
    low_stock_threshold = serializers.IntegerField(
        required=False, allow_null=True, help_text="null: no low-stock warning."
    )
