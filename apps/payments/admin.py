"""The merchant's payment settings, and a read-only list of payments. Thin: the forms check
input, apps.payments.services do every write.

A payment's actions (mark paid, refund, void) are on its order's page (apps.orders.admin).
"""

from django.contrib import admin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from apps.core.admin_services import ServiceAdminMixin, money_display
from apps.payments import services
from apps.payments.admin_forms import ProviderConfigForm, settings_field_names
from apps.payments.models import Payment, PaymentProviderConfig
from apps.payments.providers import payment_provider_get

COMMON_FIELDS = ["provider", "enabled", "display_name", "position", "instructions"]


@admin.register(PaymentProviderConfig)
class PaymentProviderConfigAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ProviderConfigForm
    list_display = ["provider", "shown_as", "enabled", "position", "needs_card"]
    ordering = ["position", "id"]
    actions = []

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": COMMON_FIELDS})]
        settings = settings_field_names(obj) if obj is not None else []
        if settings:
            fieldsets.append(("Provider settings", {"fields": settings}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The settings fields are made per provider in the form's __init__: not model fields.
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="Shown to shoppers as")
    def shown_as(self, config: PaymentProviderConfig) -> str:
        provider = payment_provider_get(config.provider)
        return config.display_name or (provider.name if provider else "(not installed)")

    @admin.display(description="Card", boolean=True)
    def needs_card(self, config: PaymentProviderConfig) -> bool:
        provider = payment_provider_get(config.provider)
        return bool(provider and provider.needs_card)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Switch a provider off instead: its secrets still verify webhooks of old payments.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        config = services.provider_config_save(
            provider_code=obj.provider if change else data["provider"],
            enabled=data["enabled"],
            display_name=data["display_name"],
            position=data["position"],
            instructions=data["instructions"],
            settings=form.settings_values(),
            secrets_clear=form.secrets_to_clear(),
        )
        obj.pk = config.pk

    def response_add(self, request, obj, post_url_continue=None):
        # Straight on to the provider's own settings.
        return HttpResponseRedirect(
            reverse("admin:payments_paymentproviderconfig_change", args=[obj.pk])
        )


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Every payment, to find one by its provider reference; its page is its order's."""

    list_display = ["id", "order_link", "provider", "amount_display", "status", "created"]
    list_filter = ["status", "provider"]
    search_fields = ["provider_reference", "=order__email"]
    list_select_related = ["order"]
    ordering = ["-id"]
    actions = []

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payment = Payment.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if payment is None or not self.has_view_permission(request, payment):
            raise Http404
        return HttpResponseRedirect(reverse("admin:orders_order_change", args=[payment.order_id]))

    @admin.display(description="Order", ordering="order__number")
    def order_link(self, payment: Payment) -> str:
        url = reverse("admin:orders_order_change", args=[payment.order_id])
        return format_html('<a href="{}">#{}</a>', url, payment.order.number)

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, payment: Payment) -> str:
        return money_display(payment.amount)
