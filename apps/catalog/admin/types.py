"""Option types, attributes, product types and tags.

The services create these and add option values; nothing renames or deletes them yet, so the
admin creates them, shows them, and (option types) adds values.
"""

from django.contrib import admin
from django.db.models import Count

from apps.catalog import services
from apps.catalog.admin.base import (
    NotFoundMixin,
    ServiceAdminMixin,
    ServiceInlineMixin,
    row_target,
)
from apps.catalog.admin_forms import (
    AttributeAdminForm,
    OptionTypeAdminForm,
    OptionValueInlineForm,
    ProductTypeAdminForm,
)
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    OptionType,
    OptionValue,
    ProductType,
    Tag,
)
from apps.core.exceptions import ApplicationError


class ViewAfterCreateMixin:
    """Added through a service, then view-only (no service changes or deletes them)."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class OptionValueInline(ServiceInlineMixin, admin.TabularInline):
    model = OptionValue
    form = OptionValueInlineForm
    fields = ["value", "position"]
    ordering = ["position", "id"]
    extra = 3
    can_delete = False

    def has_change_permission(self, request, obj=None):
        # Existing values stay as they are; new rows add values (option_value_add).
        return False


@admin.register(OptionType)
class OptionTypeAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = OptionTypeAdminForm
    inlines = [OptionValueInline]
    list_display = ["name", "slug", "values_list"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug"]

    def get_readonly_fields(self, request, obj=None):
        return ["name", "slug"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    @admin.display(description="Values")
    def values_list(self, option_type: OptionType) -> str:
        return ", ".join(value.value for value in option_type.values.all())

    def save_model(self, request, obj, form, change):
        return  # created in save_related, which sees the values typed in the inline rows

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
            return
        rows = [
            (row.cleaned_data.get("position") or 0, index, row.cleaned_data.get("value"))
            for formset in formsets
            for index, row in self.rows(formset)[2]
        ]
        option_type = services.option_type_create(
            name=form.cleaned_data["name"],
            slug=form.cleaned_data.get("slug") or None,
            values=[value for _, _, value in sorted(rows) if value],
        )
        form.instance.pk = option_type.pk
        form.instance._state.adding = False

    def save_formset(self, request, form, formset, change):
        _, _, created = self.rows(formset)
        option_type = OptionType.objects.get(pk=form.instance.pk)
        for index, row in created:
            try:
                value = services.option_value_add(
                    option_type=option_type, value=row.cleaned_data.get("value") or ""
                )
            except ApplicationError as error:
                raise row_target(error, formset.prefix, index) from None
            formset.new_objects.append(value)


class AttributeChoiceInline(admin.TabularInline):
    model = AttributeChoice
    fields = ["value", "position"]
    ordering = ["position", "id"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attribute)
class AttributeAdmin(ViewAfterCreateMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = AttributeAdminForm
    list_display = ["name", "slug", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [AttributeChoiceInline]

    def get_fields(self, request, obj=None):
        return ["name", "slug", "kind", "unit"] + (["choices"] if obj is None else [])

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        attribute = services.attribute_create(
            name=data["name"],
            kind=data["kind"],
            choices=data.get("choices") or [],
            unit=data.get("unit") or "",
            slug=data.get("slug") or None,
        )
        obj.pk = attribute.pk
        obj._state.adding = False


@admin.register(ProductType)
class ProductTypeAdmin(ViewAfterCreateMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = ProductTypeAdminForm
    list_display = ["name", "slug", "options", "products_count"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "option_types", "attributes"]
    filter_horizontal = ["option_types", "attributes"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("option_types")
            .annotate(product_count=Count("products"))
        )

    @admin.display(description="Options")
    def options(self, product_type: ProductType) -> str:
        return ", ".join(option.name for option in product_type.option_types.all())

    @admin.display(description="Products", ordering="product_count")
    def products_count(self, product_type: ProductType) -> int:
        return product_type.product_count

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        product_type = services.product_type_create(
            name=data["name"],
            slug=data.get("slug") or None,
            option_types=list(data.get("option_types") or ()),
            attributes=list(data.get("attributes") or ()),
        )
        obj.pk = product_type.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        return  # product_type_create has set the option types and attributes


@admin.register(Tag)
class TagAdmin(NotFoundMixin, admin.ModelAdmin):
    """Tags are made from the product form (comma-separated names); listed here."""

    list_display = ["name", "slug", "products_count"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="Products", ordering="product_count")
    def products_count(self, tag: Tag) -> int:
        return tag.product_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
