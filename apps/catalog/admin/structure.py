"""Categories (a tree ordered by path, with positions) and hand-ordered collections."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from apps.catalog import services
from apps.catalog.admin_forms import (
    CategoryAdminForm,
    CollectionAdminForm,
    CollectionProductInlineForm,
)
from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
)
from apps.core.admin_services import (
    ServiceAdminMixin,
    ServiceInlineMixin,
)
from apps.core.exceptions import ApplicationError


@admin.register(Category)
class CategoryAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["indented_name", "path", "position", "products_count", "updated"]
    list_filter = ["depth"]
    search_fields = ["name", "slug", "path"]
    readonly_fields = ["path", "depth"]
    fields = [
        "name",
        "slug",
        "parent",
        "path",
        "position",
        "description",
        "image",
        "seo_title",
        "seo_description",
    ]
    # Tree order: each category under its parent (paths sort that way).
    ordering = ["path"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="Name", ordering="path")
    def indented_name(self, category: Category) -> str:
        return format_html(
            '<span style="padding-left: {}em">{}</span>', category.depth * 1.5, category.name
        )

    @admin.display(description="Products", ordering="product_count")
    def products_count(self, category: Category) -> int:
        return category.product_count

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            category = services.category_create(
                name=data["name"],
                slug=data.get("slug") or None,
                parent=data.get("parent"),
                description=data.get("description") or "",
                position=data.get("position") or 0,
                seo_title=data.get("seo_title") or "",
                seo_description=data.get("seo_description") or "",
                image=data.get("image") or None,
            )
            obj.pk = category.pk
            obj._state.adding = False
        else:
            fields = {name: data[name] for name in form.changed_data if name in data}
            if "slug" in fields and not fields["slug"]:
                del fields["slug"]
            if fields:
                services.category_update(category=Category.objects.get(pk=obj.pk), **fields)
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.category_delete(category=obj)

    def delete_queryset(self, request, queryset):
        # Deepest first, so a selected parent is empty by the time its turn comes.
        for category in queryset.order_by("-depth", "path"):
            services.category_delete(category=category)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return self.response_post_save_change(request, None)


# --- collections --------------------------------------------------------------------------


class CollectionProductInline(ServiceInlineMixin, admin.TabularInline):
    model = CollectionProduct
    form = CollectionProductInlineForm
    fields = ["product", "position"]
    autocomplete_fields = ["product"]
    ordering = ["position", "id"]
    extra = 1
    verbose_name = "product"
    verbose_name_plural = "products, in order"


@admin.register(Collection)
class CollectionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = CollectionAdminForm
    inlines = [CollectionProductInline]
    list_display = ["name", "is_published", "is_featured", "products_count", "updated"]
    list_filter = ["is_published", "is_featured"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("entries"))

    @admin.display(description="Products", ordering="product_count")
    def products_count(self, collection: Collection) -> int:
        return collection.product_count

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in form.changed_data if name in data}
        if not change:
            collection = services.collection_create(
                name=data["name"],
                slug=data.get("slug") or None,
                description=data.get("description") or "",
                is_published=data.get("is_published", False),
                is_featured=data.get("is_featured", False),
                seo_title=data.get("seo_title") or "",
                seo_description=data.get("seo_description") or "",
            )
            obj.pk = collection.pk
            obj._state.adding = False
        else:
            if "slug" in fields and not fields["slug"]:
                del fields["slug"]
            if fields:
                services.collection_update(collection=Collection.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request, form, formset, change):
        deleted, changed, created = self.rows(formset)
        if not (deleted or changed or created):
            return
        # The whole ordered list, from what the page shows: kept rows and new rows by position
        # (ties keep the page's order), deleted rows left out.
        kept = []
        gone = {index for index, _ in deleted}
        for index, row in enumerate(formset.forms):
            product = row.cleaned_data.get("product") if hasattr(row, "cleaned_data") else None
            if index in gone or product is None:
                continue
            kept.append((row.cleaned_data.get("position") or 0, index, product.pk))
        product_ids = [pk for _, _, pk in sorted(kept)]
        services.collection_set_products(
            collection=Collection.objects.get(pk=form.instance.pk), product_ids=product_ids
        )
        formset.new_objects = [row.instance for _, row in created]
        formset.changed_objects = [(row.instance, row.changed_data) for _, row in changed]
        formset.deleted_objects = [row.instance for _, row in deleted]

    def delete_model(self, request, obj):
        services.collection_delete(collection=obj)

    def delete_queryset(self, request, queryset):
        for collection in queryset:
            services.collection_delete(collection=collection)
