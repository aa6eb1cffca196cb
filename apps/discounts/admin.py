"""The merchant's discounts admin: voucher codes and automatic promotions. Thin: every save is
an apps.discounts.services call (see apps.core.admin_services.ServiceAdminMixin for how a
refusal comes back onto its field)."""

from django.contrib import admin, messages

from apps.core.admin_services import ServiceAdminMixin, money_display
from apps.core.exceptions import ApplicationError
from apps.discounts import services
from apps.discounts.admin_forms import PromotionAdminForm, VoucherAdminForm
from apps.discounts.models import Promotion, Voucher

_SCOPE = ("scope", "categories", "products")


def _fields(form, names) -> dict:
    data = form.cleaned_data
    fields = {name: data.get(name) for name in names if name not in _SCOPE}
    fields["scope"] = data.get("scope")
    fields["category_ids"] = [category.pk for category in data.get("categories") or []]
    fields["product_ids"] = [product.pk for product in data.get("products") or []]
    return fields


def _offer(kind: str, value) -> str:
    if kind == "percentage":
        return f"{value.normalize():f}% off"
    if kind == "fixed":
        return f"{money_display(value)} off"
    return "Free shipping"


class _DiscountAdmin(ServiceAdminMixin, admin.ModelAdmin):
    filter_horizontal = ["categories", "products"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the delete service
        return actions

    def save_related(self, request, form, formsets, change):
        return  # the services set categories and products with the rest

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as error:
            # delete_view's transaction was rolled back; nothing was deleted.
            self.message_user(request, error.message, messages.ERROR)
            return self.response_post_save_change(request, None)


@admin.register(Voucher)
class VoucherAdmin(_DiscountAdmin):
    form = VoucherAdminForm
    list_display = ["code", "name", "offer", "uses", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active", "kind", "scope"]
    search_fields = ["code", "name"]
    readonly_fields = ["used_count"]
    fieldsets = [
        (None, {"fields": ["code", "name", "is_active"]}),
        ("Offer", {"fields": ["kind", "value", "minimum_subtotal"]}),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        ("Limits", {"fields": ["usage_limit", "usage_limit_per_customer", "used_count"]}),
        ("Applies to", {"fields": list(_SCOPE)}),
    ]

    @admin.display(description="Offer")
    def offer(self, voucher: Voucher) -> str:
        return _offer(voucher.kind, voucher.value)

    @admin.display(description="Used", ordering="used_count")
    def uses(self, voucher: Voucher) -> str:
        limit = "∞" if voucher.usage_limit is None else voucher.usage_limit
        return f"{voucher.used_count} / {limit}"

    def save_model(self, request, obj, form, change):
        fields = _fields(form, VoucherAdminForm.Meta.fields)
        if change:
            services.voucher_update(voucher=Voucher.objects.get(pk=obj.pk), **fields)
            return
        voucher = services.voucher_create(**fields)
        obj.pk = voucher.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.voucher_delete(voucher=obj)


@admin.register(Promotion)
class PromotionAdmin(_DiscountAdmin):
    form = PromotionAdminForm
    list_display = ["name", "offer", "scope", "priority", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active", "kind", "scope"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_active", "priority"]}),
        ("Offer", {"fields": ["kind", "value"]}),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        ("Applies to", {"fields": list(_SCOPE)}),
    ]

    @admin.display(description="Offer")
    def offer(self, promotion: Promotion) -> str:
        if promotion.kind == "fixed":
            return f"{money_display(promotion.value)} off each"
        return _offer(promotion.kind, promotion.value)

    def save_model(self, request, obj, form, change):
        fields = _fields(form, PromotionAdminForm.Meta.fields)
        if change:
            services.promotion_update(promotion=Promotion.objects.get(pk=obj.pk), **fields)
            return
        promotion = services.promotion_create(**fields)
        obj.pk = promotion.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.promotion_delete(promotion=obj)
