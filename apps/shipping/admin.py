"""The merchant's shipping admin: zones with their methods inline, methods with their rate
brackets inline. Thin: every save is an apps.shipping.services call (see
apps.core.admin_services.ServiceAdminMixin for how a refusal comes back onto its field)."""

from django.contrib import admin
from django.db.models import Count

from apps.core.admin_services import (
    ServiceAdminMixin,
    ServiceInlineMixin,
    money_display,
    row_target,
)
from apps.core.exceptions import ApplicationError
from apps.shipping import services
from apps.shipping.admin_forms import (
    METHOD_FIELDS,
    ShippingBracketInlineForm,
    ShippingMethodAdminForm,
    ShippingMethodInlineForm,
    ShippingZoneAdminForm,
)
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone

_METHOD_ROW_FIELDS = ShippingMethodInlineForm.Meta.fields


class ShippingMethodInline(ServiceInlineMixin, admin.TabularInline):
    model = ShippingMethod
    form = ShippingMethodInlineForm
    fields = _METHOD_ROW_FIELDS
    ordering = ["position", "id"]
    extra = 0
    show_change_link = True  # brackets and the pickup address are on the method's own page
    verbose_name_plural = "methods (open one for its brackets or pickup address)"


@admin.register(ShippingZone)
class ShippingZoneAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ShippingZoneAdminForm
    inlines = [ShippingMethodInline]
    list_display = ["name", "where", "methods_count", "position"]
    search_fields = ["name"]
    fields = ["name", "countries", "regions", "postcodes", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(method_count=Count("methods"))

    @admin.display(description="Where")
    def where(self, zone: ShippingZone) -> str:
        where = ", ".join(zone.countries) or "Rest of the world"
        narrowing = [*zone.regions, *zone.postcodes]
        return f"{where} ({', '.join(narrowing)})" if narrowing else where

    @admin.display(description="Methods", ordering="method_count")
    def methods_count(self, zone: ShippingZone) -> int:
        return zone.method_count

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            zone = services.shipping_zone_create(
                name=data["name"],
                countries=data.get("countries") or [],
                regions=data.get("regions") or [],
                postcodes=data.get("postcodes") or [],
                position=data.get("position") or 0,
            )
            obj.pk = zone.pk
            obj._state.adding = False
            return
        fields = {name: data[name] for name in form.changed_data if name in data}
        if fields:
            services.shipping_zone_update(zone=ShippingZone.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request, form, formset, change):
        zone = ShippingZone.objects.get(pk=form.instance.pk)
        deleted, changed, created = self.rows(formset)
        prefix = formset.prefix
        for _index, row in deleted:
            services.shipping_method_delete(method=row.instance)
            formset.deleted_objects.append(row.instance)
        for index, row in changed:
            fields = {name: row.cleaned_data[name] for name in row.changed_data}
            try:
                method = services.shipping_method_update(method=row.instance, **fields)
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            formset.changed_objects.append((method, row.changed_data))
        for index, row in created:
            data = {name: row.cleaned_data.get(name) for name in _METHOD_ROW_FIELDS}
            try:
                method = services.shipping_method_create(zone=zone, **data)
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            row.instance = method
            formset.new_objects.append(method)

    def delete_model(self, request, obj):
        services.shipping_zone_delete(zone=obj)

    def delete_queryset(self, request, queryset):
        for zone in queryset:
            services.shipping_zone_delete(zone=zone)


class ShippingBracketInline(ServiceInlineMixin, admin.TabularInline):
    model = ShippingBracket
    form = ShippingBracketInlineForm
    fields = ["lower", "upper", "amount"]
    ordering = ["lower"]
    extra = 1
    verbose_name_plural = (
        "brackets (weight methods: grams; subtotal methods: order subtotal; "
        "a value from the lower bound up to, not including, the upper one)"
    )


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ShippingMethodAdminForm
    inlines = [ShippingBracketInline]
    list_display = ["name", "zone", "rate_type", "price", "active", "position"]
    list_filter = ["zone", "rate_type", "active"]
    list_select_related = ["zone"]
    search_fields = ["name", "zone__name"]
    fieldsets = [
        (
            None,
            {"fields": METHOD_FIELDS},
        ),
        (
            "Pickup address (local pickup only)",
            {
                "fields": [
                    "pickup_company",
                    "pickup_street_address_1",
                    "pickup_street_address_2",
                    "pickup_city",
                    "pickup_postal_code",
                    "pickup_country_area",
                    "pickup_country_code",
                    "pickup_phone",
                ]
            },
        ),
    ]

    @admin.display(description="Price")
    def price(self, method: ShippingMethod) -> str:
        text = "by brackets" if method.uses_brackets else money_display(method.amount)
        if method.free_over is not None:
            text = f"{text}, free from {money_display(method.free_over)}"
        return text

    def _fields(self, form) -> dict:
        data = form.cleaned_data
        # The admin's own form class lists the fieldsets' inputs in Meta.fields, pickup ones too.
        fields = {name: data.get(name) for name in METHOD_FIELDS}
        fields["pickup_address"] = form.pickup_address()
        return fields

    def save_model(self, request, obj, form, change):
        fields = self._fields(form)
        if not change:
            method = services.shipping_method_create(**fields)
            obj.pk = method.pk
            obj._state.adding = False
            return
        services.shipping_method_update(method=ShippingMethod.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request, form, formset, change):
        deleted, changed, created = self.rows(formset)
        if not (deleted or changed or created):
            return
        gone = {index for index, _ in deleted}
        rows = []  # (formset index, bracket) of every bracket kept or added, in page order
        for index, row in enumerate(formset.forms):
            data = getattr(row, "cleaned_data", None) or {}
            if index in gone or data.get("lower") is None:
                continue
            rows.append((index, {name: data.get(name) for name in ("lower", "upper", "amount")}))
        try:
            services.shipping_method_brackets_set(
                method=ShippingMethod.objects.get(pk=form.instance.pk),
                brackets=[bracket for _, bracket in rows],
            )
        except ApplicationError as error:
            position = error.extra.get("index")
            if position is None:
                raise
            error.field = error.extra.get("part")  # the row's own field name
            raise row_target(error, formset.prefix, rows[position][0]) from None
        formset.new_objects = [row.instance for _, row in created]
        formset.changed_objects = [(row.instance, row.changed_data) for _, row in changed]
        formset.deleted_objects = [row.instance for _, row in deleted]

    def delete_model(self, request, obj):
        services.shipping_method_delete(method=obj)

    def delete_queryset(self, request, queryset):
        for method in queryset:
            services.shipping_method_delete(method=method)
