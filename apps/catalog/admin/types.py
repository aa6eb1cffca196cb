"""Option types (with their values), attributes (with their choices), product types and tags.

Every create, change and delete is a service call (apps.catalog.services.types); a refusal
lands on the field or inline row it is about (ServiceAdminMixin). Delete pages list up front
what a deletion would be refused for, the way Django lists protected objects; a refusal that
still comes (the catalog changed in between) is an error message on the change page.
"""

from contextlib import contextmanager

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from apps.catalog import services
from apps.catalog.admin_forms import (
    AttributeAdminForm,
    AttributeChoiceInlineForm,
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
from apps.catalog.services.types import option_type_product_types, product_type_option_types
from apps.core.admin_forms import ServiceInlineFormSet
from apps.core.admin_services import (
    NotFoundMixin,
    ServiceAdminMixin,
    ServiceInlineMixin,
    row_target,
)
from apps.core.exceptions import ApplicationError


def _changed_fields(form, names: tuple[str, ...]) -> dict:
    """The form's changed fields among `names`; an emptied slug keeps the current address."""
    fields = {name: form.cleaned_data[name] for name in names if name in form.changed_data}
    if "slug" in fields and not fields["slug"]:
        del fields["slug"]
    return fields


def _entry_rows_save(formset, deleted, changed, created, *, delete, update, add) -> None:
    """Save the rows of a values (or choices) inline, each through its service, deletions
    first so a value freed by a deleted row can be reused; a refusal lands on its row."""
    for index, row in deleted:
        with _on_row(formset, index):
            delete(row.instance)
        formset.deleted_objects.append(row.instance)
    for index, row in changed:
        with _on_row(formset, index):
            entry = update(row.instance, _changed_fields(row, ("value", "position")))
        formset.changed_objects.append((entry, row.changed_data))
    for index, row in created:
        with _on_row(formset, index):
            entry = add(row.cleaned_data.get("value") or "", row.cleaned_data.get("position"))
        formset.new_objects.append(entry)


@contextmanager
def _on_row(formset, index: int):
    try:
        yield
    except ApplicationError as error:
        raise row_target(error, formset.prefix, index) from None


class ServiceDeleteMixin:
    """A delete page whose deletion is `delete_service(<model name>=obj)`."""

    delete_service = None  # set by each admin, e.g. services.option_type_delete
    delete_argument = ""

    def delete_blockers(self, obj) -> list[str]:
        """What stops the deletion, shown as Django's "protected related objects"."""
        return []

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        blockers = [blocker for obj in objs for blocker in self.delete_blockers(obj)]
        return deleted, model_count, perms_needed, [*protected, *blockers]

    def delete_model(self, request, obj):
        self.delete_service(**{self.delete_argument: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as error:
            # delete_view's transaction was rolled back; nothing was deleted.
            self.message_user(request, error.message, messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )


# --- option types ----------------------------------------------------------------------------


class OptionValueInline(ServiceInlineMixin, admin.TabularInline):
    model = OptionValue
    form = OptionValueInlineForm
    formset = ServiceInlineFormSet
    fields = ["value", "position"]
    ordering = ["position", "id"]

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 1


@admin.register(OptionType)
class OptionTypeAdmin(ServiceDeleteMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = OptionTypeAdminForm
    inlines = [OptionValueInline]
    list_display = ["name", "slug", "position", "values_list"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "position"]
    delete_service = staticmethod(services.option_type_delete)
    delete_argument = "option_type"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    @admin.display(description="Values")
    def values_list(self, option_type: OptionType) -> str:
        return ", ".join(value.value for value in option_type.values.all())

    def delete_blockers(self, option_type: OptionType) -> list[str]:
        return [
            format_html(
                '{}: <a href="{}">{}</a> (take {} off it first)',
                ProductType._meta.verbose_name.capitalize(),
                reverse("admin:catalog_producttype_change", args=[product_type.pk]),
                product_type.name,
                option_type.name,
            )
            for product_type in option_type_product_types(option_type)
        ]

    def save_model(self, request, obj, form, change):
        if change:
            fields = _changed_fields(form, ("name", "slug", "position"))
            if fields:
                services.option_type_update(option_type=obj, **fields)
        # A new option type is created in save_related, which sees the values' inline rows.

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
            form.instance.refresh_from_db()
            return
        rows = [
            (row.cleaned_data.get("position") or 0, index, row.cleaned_data.get("value"))
            for formset in formsets
            for index, row in self.rows(formset)[2]
        ]
        option_type = services.option_type_create(
            name=form.cleaned_data["name"],
            slug=form.cleaned_data.get("slug") or None,
            position=form.cleaned_data.get("position") or 0,
            values=[value for _, _, value in sorted(rows) if value],
        )
        form.instance.pk = option_type.pk
        form.instance._state.adding = False

    def save_formset(self, request, form, formset, change):
        option_type = OptionType.objects.get(pk=form.instance.pk)
        _entry_rows_save(
            formset,
            *self.rows(formset),
            delete=lambda value: services.option_value_delete(option_value=value),
            update=lambda value, fields: services.option_value_update(option_value=value, **fields),
            add=lambda value, position: services.option_value_add(
                option_type=option_type, value=value, position=position
            ),
        )


# --- attributes ------------------------------------------------------------------------------


class AttributeChoiceInline(ServiceInlineMixin, admin.TabularInline):
    model = AttributeChoice
    form = AttributeChoiceInlineForm
    formset = ServiceInlineFormSet
    fields = ["value", "position"]
    ordering = ["position", "id"]
    extra = 1
    verbose_name = "choice"
    verbose_name_plural = "choices (for the Choice kind)"


@admin.register(Attribute)
class AttributeAdmin(ServiceDeleteMixin, ServiceAdminMixin, admin.ModelAdmin):
    form = AttributeAdminForm
    list_display = ["name", "slug", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [AttributeChoiceInline]
    delete_service = staticmethod(services.attribute_delete)
    delete_argument = "attribute"

    def get_fields(self, request, obj=None):
        # A new attribute takes its choices as lines; an existing one edits them inline.
        return ["name", "slug", "kind", "unit"] + (["choices"] if obj is None else [])

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = _changed_fields(form, ("name", "slug", "kind", "unit"))
            if fields:
                services.attribute_update(attribute=obj, **fields)
            return
        attribute = services.attribute_create(
            name=data["name"],
            kind=data["kind"],
            choices=data.get("choices") or [],
            unit=data.get("unit") or "",
            slug=data.get("slug") or None,
        )
        obj.pk = attribute.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        deleted, changed, created = self.rows(formset)
        attribute = Attribute.objects.get(pk=form.instance.pk)
        if attribute.kind != Attribute.Kind.CHOICE:
            # Leaving the Choice kind (just saved) removed the choices these rows showed.
            deleted, changed = [], []
        _entry_rows_save(
            formset,
            deleted,
            changed,
            created,
            delete=lambda choice: services.attribute_choice_delete(choice=choice),
            update=lambda choice, fields: services.attribute_choice_update(choice=choice, **fields),
            add=lambda value, position: services.attribute_choice_add(
                attribute=attribute, value=value, position=position
            ),
        )


# --- product types ---------------------------------------------------------------------------


@admin.register(ProductType)
class ProductTypeAdmin(ServiceDeleteMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Its products are Django's protected objects (Product.product_type is PROTECT): the
    delete page lists them and product_type_delete refuses while there are any."""

    form = ProductTypeAdminForm
    list_display = ["name", "slug", "options", "products_count"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "option_types", "attributes"]
    filter_horizontal = ["option_types", "attributes"]
    delete_service = staticmethod(services.product_type_delete)
    delete_argument = "product_type"

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
        if not change:
            product_type = services.product_type_create(
                name=data["name"],
                slug=data.get("slug") or None,
                option_types=list(data.get("option_types") or ()),
                attributes=list(data.get("attributes") or ()),
            )
            obj.pk = product_type.pk
            obj._state.adding = False
            return
        fields = _changed_fields(form, ("name", "slug", "option_types", "attributes"))
        if "option_types" in fields:
            # The picker cannot order: kept options keep their place (the order of variant
            # names' parts), new ones follow.
            chosen = list(fields["option_types"])
            kept = [t for t in product_type_option_types(obj) if t in chosen]
            fields["option_types"] = kept + [t for t in chosen if t not in kept]
        if "attributes" in fields:
            fields["attributes"] = list(fields["attributes"])
        if fields:
            services.product_type_update(product_type=obj, **fields)

    def save_related(self, request, form, formsets, change):
        return  # the services set the option types and attributes


# --- tags ------------------------------------------------------------------------------------


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
