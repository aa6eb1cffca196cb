"""The merchant's tax admin: rates per country or region, and the store's tax settings (one
page). Thin: saves are apps.tax.services calls; refusals come back onto their fields
(apps.core.admin_services.ServiceAdminMixin)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from apps.core.admin_services import ServiceAdminMixin
from apps.tax import services
from apps.tax.admin_forms import TaxRateAdminForm, TaxSettingsAdminForm
from apps.tax.models import TaxRate, TaxSettings


@admin.register(TaxRate)
class TaxRateAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = TaxRateAdminForm
    list_display = ["country", "region", "name", "rate"]
    list_filter = ["country"]
    search_fields = ["country", "region", "name"]
    fields = ["country", "region", "rate", "name"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            tax_rate = services.tax_rate_create(
                country=data["country"],
                region=data.get("region") or "",
                rate=data["rate"],
                name=data["name"],
            )
            obj.pk = tax_rate.pk
            obj._state.adding = False
            return
        fields = {name: data[name] for name in form.changed_data if name in data}
        if fields:
            services.tax_rate_update(tax_rate=TaxRate.objects.get(pk=obj.pk), **fields)

    def delete_model(self, request, obj):
        services.tax_rate_delete(tax_rate=obj)

    def delete_queryset(self, request, queryset):
        for tax_rate in queryset:
            services.tax_rate_delete(tax_rate=tax_rate)


@admin.register(TaxSettings)
class TaxSettingsAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """One row per store: the list goes straight to its page."""

    form = TaxSettingsAdminForm
    fields = ["prices_include_tax", "tax_shipping", "default_rate", "default_rate_name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings = services.tax_settings_get()
        return redirect(reverse("admin:tax_taxsettings_change", args=[settings.pk]))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        services.tax_settings_get()  # made on first use, so its page always exists
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if "_continue" not in request.POST and self.has_view_permission(request):
            self.message_user(request, "The tax settings were saved.")
            return redirect(request.path)
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in form.changed_data if name in data}
        if fields:
            services.tax_settings_update(**fields)
