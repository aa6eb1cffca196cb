"""Products, with their variants and images inline; bulk status changes and duplication."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import ngettext

from apps.catalog import services
from apps.catalog.admin_forms import (
    ProductAdminForm,
    ProductImageInlineForm,
    VariantInlineForm,
)
from apps.catalog.images import thumbnail_url
from apps.catalog.models import (
    OptionValue,
    Product,
    ProductImage,
    Variant,
)
from apps.core.admin_forms import ServiceInlineFormSet
from apps.core.admin_services import (
    ServiceAdminMixin,
    ServiceInlineMixin,
    money_display,
    row_target,
)
from apps.core.exceptions import ApplicationError


class VariantFormSet(ServiceInlineFormSet):
    """Every row offers the same option values: read them once, not once per row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("option_values")
        if field is not None:
            if not hasattr(self, "_option_choices"):
                self._option_choices = [(value.pk, str(value)) for value in field.queryset]
            field.choices = self._option_choices


class VariantInline(ServiceInlineMixin, admin.TabularInline):
    model = Variant
    form = VariantInlineForm
    formset = VariantFormSet
    extra = 1
    fields = [
        "sku",
        "option_values",
        "price",
        "compare_at_price",
        "cost",
        "weight_grams",
        "barcode",
        "position",
    ]
    ordering = ["position", "id"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        values = formset.form.base_fields.get("option_values")
        if values is not None:
            queryset = OptionValue.objects.select_related("option_type")
            if obj is not None and obj.product_type_id:
                # Only the options of the product's type (the service refuses any other).
                queryset = queryset.filter(option_type__product_types=obj.product_type_id)
            values.queryset = queryset
        return formset

    def get_queryset(self, request):
        # The product: each row's label is the variant's str(), which names its product.
        return (
            super()
            .get_queryset(request)
            .select_related("product")
            .prefetch_related("option_values")
        )


class ProductImageInline(ServiceInlineMixin, admin.TabularInline):
    model = ProductImage
    form = ProductImageInlineForm
    extra = 1
    fields = ["preview", "image", "alt_text", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description="Preview")
    def preview(self, image: ProductImage) -> str:
        if not image.pk or not image.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="catalog-thumb" width="80">',
            thumbnail_url(image, "thumb"),
            image.alt_text,
        )


@admin.register(Product)
class ProductAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = ProductAdminForm
    inlines = [VariantInline, ProductImageInline]
    list_display = [
        "name",
        "status",
        "category",
        "price_range",
        "variants_count",
        "updated",
        "storefront_link",
    ]
    list_filter = ["status", "category", "product_type", "collections", "tags"]
    search_fields = ["name", "slug", "variants__sku"]
    list_select_related = ["category"]
    readonly_fields = ["price_range", "published_at", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "product_type", "category", "tags"]}),
        ("Description", {"fields": ["description"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Dates and prices", {"fields": ["price_range", "published_at", "created", "updated"]}),
    ]
    actions = ["publish", "unpublish", "archive", "duplicate"]
    ordering = ["-updated", "-id"]
    list_per_page = 50

    class Media:
        css = {"all": ["admin-extra/catalog.css"]}

    def get_queryset(self, request):
        # A correlated subquery rather than Count("variants"): the list's two COUNT(*) queries
        # then drop it and stay plain counts of products (no join, no GROUP BY).
        variants = (
            Variant.objects.filter(product=OuterRef("pk"))
            .order_by()
            .values("product")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = (
            super().get_queryset(request).annotate(variant_count=Coalesce(Subquery(variants), 0))
        )
        if getattr(request.resolver_match, "url_name", "").endswith("_changelist"):
            # The list shows neither; a store's descriptions can be long.
            queryset = queryset.defer("description", "search_vector")
        return queryset

    def view_on_site(self, product: Product) -> str:
        # Relative: the admin is served on the store's own host, like the storefront.
        return f"/products/{product.slug}/"

    @admin.display(description="Price")
    def price_range(self, product: Product) -> str:
        if product.price_min is None:
            return "—"
        if product.price_min == product.price_max:
            return money_display(product.price_min)
        return f"{money_display(product.price_min)} to {money_display(product.price_max)}"

    @admin.display(description="Variants", ordering="variant_count")
    def variants_count(self, product: Product) -> int:
        return product.variant_count

    @admin.display(description="Storefront")
    def storefront_link(self, product: Product) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview</a>', self.view_on_site(product)
        )

    # --- saving through services ---

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            product = services.product_create(
                name=data["name"],
                slug=data.get("slug") or None,
                description=data.get("description") or "",
                product_type=data.get("product_type"),
                category=data.get("category"),
                tags=data.get("tags") or [],
                seo_title=data.get("seo_title") or "",
                seo_description=data.get("seo_description") or "",
            )
            # The inline formsets hold form.instance: give it the new row's identity.
            obj.pk = product.pk
            obj._state.adding = False
        else:
            fields = {
                name: data[name] for name in form.changed_data if name != "status" and name in data
            }
            if "slug" in fields and not fields["slug"]:
                del fields["slug"]
            if fields:
                services.product_update(product=Product.objects.get(pk=obj.pk), **fields)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Status last: publishing checks the variants and images saved just above.
        status = form.cleaned_data.get("status")
        if status and "status" in form.changed_data:
            services.product_set_status(
                product=Product.objects.get(pk=form.instance.pk), status=status
            )
        form.instance.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        product = Product.objects.get(pk=form.instance.pk)
        deleted, changed, created = self.rows(formset)
        if formset.model is Variant:
            self._variants_save(formset, product, deleted, changed, created)
        elif formset.model is ProductImage:
            self._images_save(formset, product, deleted, changed, created)

    def _variants_save(self, formset, product, deleted, changed, created):
        prefix = formset.prefix
        for index, form in deleted:
            try:
                services.variant_delete(variant=form.instance)
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            formset.deleted_objects.append(form.instance)
        for index, form in changed:
            data = form.cleaned_data
            fields = {name: data[name] for name in form.changed_data if name in data}
            if "option_values" in fields:
                fields["option_values"] = list(fields["option_values"])
            try:
                variant = services.variant_update(variant=form.instance, **fields)
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            formset.changed_objects.append((variant, form.changed_data))
        for index, form in created:
            data = form.cleaned_data
            try:
                variant = services.variant_create(
                    product=product,
                    sku=data.get("sku") or "",
                    price=data.get("price"),
                    option_values=list(data.get("option_values") or ()),
                    compare_at_price=data.get("compare_at_price"),
                    cost=data.get("cost"),
                    weight_grams=data.get("weight_grams"),
                    barcode=data.get("barcode") or "",
                    position=data.get("position"),
                )
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            form.instance = variant
            formset.new_objects.append(variant)

    def _images_save(self, formset, product, deleted, changed, created):
        prefix = formset.prefix
        for index, form in deleted:
            try:
                services.product_image_delete(image=form.instance)
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            formset.deleted_objects.append(form.instance)
        for index, form in changed:
            data = form.cleaned_data
            try:
                image = services.product_image_update(
                    image=form.instance,
                    alt_text=data.get("alt_text") if "alt_text" in form.changed_data else None,
                    position=data.get("position") if "position" in form.changed_data else None,
                )
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            formset.changed_objects.append((image, form.changed_data))
        for index, form in created:
            data = form.cleaned_data
            try:
                image = services.product_image_add(
                    product=product,
                    image_file=data.get("image"),
                    alt_text=data.get("alt_text") or "",
                    position=data.get("position"),
                )
            except ApplicationError as error:
                raise row_target(error, prefix, index) from None
            form.instance = image
            formset.new_objects.append(image)

    def delete_model(self, request, obj):
        services.product_delete(product=obj)

    def delete_queryset(self, request, queryset):
        for product in queryset:
            services.product_delete(product=product)

    # --- bulk actions ---

    def _status_action(self, request: HttpRequest, queryset, status: str, verb: str) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        try:
            count = services.products_bulk_set_status(product_ids=ids, status=status)
        except ApplicationError as error:
            self.message_user(request, f"Nothing was {verb}: {error.message}", messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d product %(verb)s.", "%(count)d products %(verb)s.", count)
            % {"count": count, "verb": verb},
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected products", permissions=["change"])
    def publish(self, request, queryset):
        self._status_action(request, queryset, Product.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish selected products (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        self._status_action(request, queryset, Product.Status.DRAFT, "unpublished")

    @admin.action(description="Archive selected products", permissions=["change"])
    def archive(self, request, queryset):
        self._status_action(request, queryset, Product.Status.ARCHIVED, "archived")

    @admin.action(description="Duplicate selected products (as drafts)", permissions=["add"])
    def duplicate(self, request, queryset):
        try:
            with transaction.atomic():
                copies = [services.product_duplicate(product=product) for product in queryset]
        except ApplicationError as error:
            self.message_user(request, f"Nothing was duplicated: {error.message}", messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "Duplicated as a draft: %(names)s.", "Duplicated as drafts: %(names)s.", len(copies)
            )
            % {"names": ", ".join(copy.name for copy in copies)},
            messages.SUCCESS,
        )
