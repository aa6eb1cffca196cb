"""Forms of the discounts admin: input shapes only; apps.discounts.services decide and save
(a refusal lands on its field through ServiceModelForm)."""

from apps.core.admin_forms import ServiceModelForm
from apps.discounts.models import Promotion, Voucher

_SCOPE_ALIASES = {"category_ids": "categories", "product_ids": "products"}


class VoucherAdminForm(ServiceModelForm):
    service_field_aliases = _SCOPE_ALIASES

    class Meta:
        model = Voucher
        fields = [
            "code", "name", "is_active", "kind", "value", "minimum_subtotal", "starts_at",
            "ends_at", "usage_limit", "usage_limit_per_customer", "scope", "categories",
            "products",
        ]  # fmt: skip


class PromotionAdminForm(ServiceModelForm):
    service_field_aliases = _SCOPE_ALIASES

    class Meta:
        model = Promotion
        fields = [
            "name", "is_active", "kind", "value", "scope", "categories", "products",
            "starts_at", "ends_at", "priority",
        ]  # fmt: skip
