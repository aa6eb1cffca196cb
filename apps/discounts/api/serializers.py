"""Shapes of the discounts API. Input serializers check types only; apps.discounts.services
check the rules (each refusal with its code on its field)."""

from rest_framework import serializers

from apps.discounts.models import Promotion, Voucher


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(min_value=1), **kwargs)


class _ScopeIdsMixin(serializers.Serializer):
    category_ids = serializers.SerializerMethodField()
    product_ids = serializers.SerializerMethodField()

    def get_category_ids(self, item) -> list[int]:
        return sorted(category.pk for category in item.categories.all())

    def get_product_ids(self, item) -> list[int]:
        return sorted(product.pk for product in item.products.all())


class VoucherSerializer(_ScopeIdsMixin, serializers.ModelSerializer):
    value = _money()
    minimum_subtotal = _money(allow_null=True)

    class Meta:
        model = Voucher
        fields = [
            "id", "code", "name", "kind", "value", "minimum_subtotal", "starts_at", "ends_at",
            "usage_limit", "usage_limit_per_customer", "used_count", "scope", "category_ids",
            "product_ids", "is_active", "created", "updated",
        ]  # fmt: skip
        read_only_fields = fields


class VoucherWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100, allow_blank=True)
    name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    kind = serializers.CharField(max_length=20, required=False)
    value = serializers.DecimalField(max_digits=None, decimal_places=None, required=False)
    minimum_subtotal = serializers.DecimalField(
        max_digits=None, decimal_places=None, allow_null=True, required=False
    )
    starts_at = serializers.DateTimeField(allow_null=True, required=False)
    ends_at = serializers.DateTimeField(allow_null=True, required=False)
    usage_limit = serializers.IntegerField(allow_null=True, required=False)
    usage_limit_per_customer = serializers.IntegerField(allow_null=True, required=False)
    scope = serializers.CharField(max_length=20, required=False)
    category_ids = _ids(required=False)
    product_ids = _ids(required=False)
    is_active = serializers.BooleanField(required=False)


class PromotionSerializer(_ScopeIdsMixin, serializers.ModelSerializer):
    value = _money()

    class Meta:
        model = Promotion
        fields = [
            "id", "name", "kind", "value", "scope", "category_ids", "product_ids", "starts_at",
            "ends_at", "is_active", "priority", "created", "updated",
        ]  # fmt: skip
        read_only_fields = fields


class PromotionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    kind = serializers.CharField(max_length=20, required=False)
    value = serializers.DecimalField(max_digits=None, decimal_places=None)
    scope = serializers.CharField(max_length=20, required=False)
    category_ids = _ids(required=False)
    product_ids = _ids(required=False)
    starts_at = serializers.DateTimeField(allow_null=True, required=False)
    ends_at = serializers.DateTimeField(allow_null=True, required=False)
    is_active = serializers.BooleanField(required=False)
    priority = serializers.IntegerField(required=False)
