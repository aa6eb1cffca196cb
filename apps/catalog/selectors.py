"""Catalog reads with a fixed number of queries, whatever the number of variants or images."""

from django.db.models import Prefetch, Q, QuerySet

from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductImage,
    Variant,
)


def product_detail_queryset(*, published_only: bool = True) -> QuerySet[Product]:
    """Products with everything a detail page or API detail shows, prefetched."""
    products = Product.objects.select_related("category", "product_type").prefetch_related(
        Prefetch(
            "variants",
            queryset=Variant.objects.order_by("position", "id").prefetch_related(
                Prefetch(
                    "option_values",
                    # The merchant's option order (OptionType.position), as the pickers.
                    queryset=OptionValue.objects.select_related("option_type").order_by(
                        "option_type__position", "option_type__name", "option_type_id", "position"
                    ),
                )
            ),
        ),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        "tags",
        Prefetch(
            "attribute_values",
            queryset=ProductAttributeValue.objects.select_related(
                "attribute", "value_choice"
            ).order_by("attribute__name"),
        ),
    )
    if published_only:
        products = products.filter(status=Product.Status.PUBLISHED)
    return products


def product_detail_get(*, slug: str, published_only: bool = True) -> Product | None:
    """One product by slug with category, type, variants (and their option values), images,
    tags and attribute values: six queries (the product with category and type joined, then
    one each for variants, option values, images, tags, attribute values). None if absent
    (or not published, when published_only)."""
    return product_detail_queryset(published_only=published_only).filter(slug=slug).first()


def category_tree() -> list[Category]:
    """The whole category tree in one query: the roots, each category's children in
    `.subcategories` (ordered by position, then name)."""
    categories = list(Category.objects.order_by("depth", "position", "name", "id"))
    by_id = {category.pk: category for category in categories}
    roots = []
    for category in categories:
        category.subcategories = []
    for category in categories:  # parents come first (ordered by depth)
        parent = by_id.get(category.parent_id)
        if parent is None:
            roots.append(category)
        else:
            category.parent = parent  # no query when a template walks up
            parent.subcategories.append(category)
    return roots


def featured_collections() -> list[Collection]:
    """Published, featured collections (by name) with their published products in the
    collection's order in `.featured_products`, each with its images prefetched: three
    queries (collections, entries with products, images)."""
    entries = (
        CollectionProduct.objects.filter(product__status=Product.Status.PUBLISHED)
        .select_related("product")
        .order_by("position", "id")
    )
    collections = list(
        Collection.objects.filter(Q(is_published=True) & Q(is_featured=True))
        .order_by("name", "id")
        .prefetch_related(
            Prefetch("entries", queryset=entries),
            Prefetch(
                "entries__product__images",
                queryset=ProductImage.objects.order_by("position", "id"),
            ),
        )
    )
    for collection in collections:
        collection.featured_products = [entry.product for entry in collection.entries.all()]
    return collections
