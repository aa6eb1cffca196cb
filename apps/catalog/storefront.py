"""Reads for the storefront pages, each a fixed number of queries whatever the size of the
catalog: related rows (first image, images, attribute values, a variant's option values) come
back inside the parent row as JSON arrays, never as one query per product or variant.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.files.storage import default_storage
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject

from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
    OptionType,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductImage,
    Variant,
)
from apps.inventory.models import StockPolicy
from apps.inventory.selectors import variant_buyable_q

CARD_FIELDS = ("id", "name", "slug", "description", "price_min", "price_max", "published_at")
SORTS = {
    "newest": ("-published_at", "-id"),
    "price": ("price_min", "id"),
    "-price": ("-price_min", "-id"),
    "name": ("name", "id"),
}
SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest",
    "price": "Price: low to high",
    "-price": "Price: high to low",
    "name": "Name: A to Z",
}
SORT_LABELS_LISTING = [(key, SORT_LABELS[key]) for key in ("price", "-price", "name")]


# --- categories --------------------------------------------------------------------------
@dataclass
class CategoryNode:
    category: Category
    children: list["CategoryNode"] = field(default_factory=list)


@dataclass(frozen=True)
class CategoryTree:
    """Every category of the store, loaded once per page (header, sidebar, facets, lookup)."""

    roots: list[CategoryNode]
    by_path: dict[str, Category]
    by_id: dict[int, Category]

    def subtree_ids(self, category: Category) -> list[int]:
        prefix = f"{category.path}/"
        return [
            c.id for c in self.by_path.values() if c.id == category.id or c.path.startswith(prefix)
        ]

    def label(self, category: Category) -> str:
        """ "Clothing / Shirts": the names along the path, for pickers."""
        return " / ".join(c.name for c in [*self.ancestors(category), category])

    def ancestors(self, category: Category) -> list[Category]:
        chain, parent_id = [], category.parent_id
        while parent_id is not None and parent_id in self.by_id:
            parent = self.by_id[parent_id]
            chain.append(parent)
            parent_id = parent.parent_id
        return list(reversed(chain))


def category_tree() -> CategoryTree:
    """One query: all categories, arranged by parent and position."""
    categories = list(
        Category.objects.only(
            "id", "parent_id", "name", "slug", "path", "depth", "position", "description",
            "seo_title", "seo_description", "updated",
        )
    )  # fmt: skip
    nodes = {c.id: CategoryNode(category=c) for c in categories}
    roots: list[CategoryNode] = []
    for node in sorted(nodes.values(), key=lambda n: (n.category.position, n.category.name)):
        parent_id = node.category.parent_id
        (nodes[parent_id].children if parent_id in nodes else roots).append(node)
    return CategoryTree(
        roots=roots, by_path={c.path: c for c in categories}, by_id={c.id: c for c in categories}
    )


# --- product cards -----------------------------------------------------------------------
def published_products() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.PUBLISHED)


def with_card_fields(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card shows, in the product's own row: the first image and the
    compare-at price of the cheapest variant (when it is higher than the price)."""
    first_image = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values(json=JSONObject(image="image", alt="alt_text", thumbs="thumbnails"))[:1]
    )
    cheapest = Variant.objects.filter(product=OuterRef("pk")).order_by("price", "position", "id")
    return queryset.only(*CARD_FIELDS).annotate(
        card_image=Subquery(first_image, output_field=JSONField()),
        card_price=Subquery(cheapest.values("price")[:1]),
        card_compare_at=Subquery(
            cheapest.filter(compare_at_price__gt=F("price")).values("compare_at_price")[:1]
        ),
    )


def image_url(image: dict[str, Any] | None, size: str) -> str:
    """URL of a stored image's rendition (apps.catalog.images.THUMBNAIL_SIZES), else the
    original's."""
    if not image:
        return ""
    name = (image.get("thumbs") or {}).get(size) or image.get("image")
    return default_storage.url(name) if name else ""


@dataclass(frozen=True)
class CardPage:
    products: list[Product]
    page: int
    has_next: bool


def card_page(queryset: QuerySet[Product], *, page: int, per_page: int) -> CardPage:
    """One page of cards, one query; one row more than the page tells whether there is a next
    page (no COUNT(*))."""
    page = max(page, 1)
    offset = (page - 1) * per_page
    rows = list(with_card_fields(queryset)[offset : offset + per_page + 1])
    for product in rows:
        card_decorate(product)
    return CardPage(products=rows[:per_page], page=page, has_next=len(rows) > per_page)


def card_decorate(product: Product) -> None:
    product.card_image_url = image_url(product.card_image, "card")
    product.card_image_alt = (product.card_image or {}).get("alt", "")
    product.on_sale = product.card_compare_at is not None
    product.price_varies = product.price_min is not None and product.price_min != product.price_max


def cards(queryset: QuerySet[Product], *, limit: int) -> list[Product]:
    rows = list(with_card_fields(queryset)[:limit])
    for product in rows:
        card_decorate(product)
    return rows


def sorted_products(queryset: QuerySet[Product], sort: str) -> QuerySet[Product]:
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


def products_in_categories(category_ids: list[int]) -> QuerySet[Product]:
    return published_products().filter(category_id__in=category_ids)


# --- collections -------------------------------------------------------------------------
def collection_get_published(*, slug: str) -> Collection | None:
    return Collection.objects.filter(slug=slug, is_published=True).first()


def collection_get_featured() -> Collection | None:
    return (
        Collection.objects.filter(is_published=True, is_featured=True)
        .order_by("-updated", "id")
        .first()
    )


def products_in_collection(collection: Collection) -> QuerySet[Product]:
    """The collection's published products in the merchant's order."""
    position = CollectionProduct.objects.filter(
        collection=collection, product=OuterRef("pk")
    ).values("position")[:1]
    return (
        published_products()
        .filter(collections=collection)
        .annotate(entry_position=Subquery(position))
        .order_by("entry_position", "id")
    )


# --- the product page --------------------------------------------------------------------
def product_get_for_page(*, slug: str) -> Product | None:
    """A published product with its category, images and attribute values: one query."""
    images = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values(
            json=JSONObject(
                id="id", image="image", alt="alt_text", thumbs="thumbnails", width="width",
                height="height",
            )
        )
    )  # fmt: skip
    attributes = (
        ProductAttributeValue.objects.filter(product=OuterRef("pk"))
        .order_by("attribute__name")
        .values(
            json=JSONObject(
                name="attribute__name", kind="attribute__kind", unit="attribute__unit",
                text="value_text", number="value_number", boolean="value_boolean",
                choice="value_choice__value",
            )
        )
    )  # fmt: skip
    return (
        published_products()
        .filter(slug=slug)
        .select_related("category")
        .annotate(images_json=ArraySubquery(images), attributes_json=ArraySubquery(attributes))
        .first()
    )


@dataclass(frozen=True)
class OptionChoice:
    value_id: int
    value: str
    slug: str
    position: int


@dataclass(frozen=True)
class OptionGroup:
    type_id: int
    name: str
    slug: str
    choices: list[OptionChoice]


@dataclass
class VariantView:
    id: int
    sku: str
    name: str
    price: Decimal
    compare_at_price: Decimal | None
    # option type slug -> option value slug
    options: dict[str, str]
    # A shopper can buy it now (apps.inventory's rule); sold beyond stock when backorderable.
    in_stock: bool = True
    backorderable: bool = False

    @property
    def on_sale(self) -> bool:
        return self.compare_at_price is not None and self.compare_at_price > self.price


def product_variants(*, product: Product) -> tuple[list[VariantView], list[OptionGroup]]:
    """The product's variants with their option values and whether they can be bought now,
    and the option groups a shopper picks from: one query."""
    through = Variant.option_values.through
    option_values = (
        through.objects.filter(variant_id=OuterRef("pk"))
        .order_by(
            "optionvalue__option_type__position", "optionvalue__option_type__name",
            "optionvalue__option_type_id", "optionvalue__position",
        )
        .values(
            json=JSONObject(
                id="optionvalue_id", value="optionvalue__value", slug="optionvalue__slug",
                position="optionvalue__position", type_id="optionvalue__option_type_id",
                type_name="optionvalue__option_type__name",
                type_slug="optionvalue__option_type__slug",
                type_position="optionvalue__option_type__position",
            )
        )
    )  # fmt: skip
    rows = (
        Variant.objects.filter(product=product)
        .order_by("position", "id")
        .values("id", "sku", "name", "price", "compare_at_price")
        .annotate(
            option_values_json=ArraySubquery(option_values),
            in_stock=ExpressionWrapper(variant_buyable_q(), output_field=BooleanField()),
            backorderable=Exists(
                StockPolicy.objects.filter(
                    variant=OuterRef("pk"), track_inventory=True, allow_backorders=True
                )
            ),
        )
    )
    variants, groups = [], {}
    for row in rows:
        options = {}
        for ov in row["option_values_json"]:
            options[ov["type_slug"]] = ov["slug"]
            group = groups.setdefault(
                ov["type_slug"],
                {
                    "type_id": ov["type_id"],
                    "name": ov["type_name"],
                    "position": ov["type_position"],
                    "choices": {},
                },
            )
            group["choices"][ov["slug"]] = OptionChoice(
                value_id=ov["id"], value=ov["value"], slug=ov["slug"], position=ov["position"]
            )
        variants.append(
            VariantView(
                id=row["id"], sku=row["sku"], name=row["name"], price=row["price"],
                compare_at_price=row["compare_at_price"], options=options,
                in_stock=row["in_stock"], backorderable=row["backorderable"],
            )
        )  # fmt: skip
    option_groups = [
        OptionGroup(
            type_id=group["type_id"],
            name=group["name"],
            slug=slug,
            choices=sorted(group["choices"].values(), key=lambda c: (c.position, c.value)),
        )
        # The merchant's order of the pickers (Colour before Size), then by name.
        for slug, group in sorted(
            groups.items(),
            key=lambda item: (item[1]["position"], item[1]["name"], item[1]["type_id"]),
        )
    ]
    return variants, option_groups


@dataclass(frozen=True)
class VariantChoice:
    variant: VariantView | None  # None: no variant has the chosen combination
    selected: dict[str, str]  # option type slug -> value slug, as shown in the form


def variant_pick(
    *, variants: list[VariantView], groups: list[OptionGroup], params: dict[str, str]
) -> VariantChoice:
    """Which variant the shopper chose, from `?variant=<id>` or `?<option>=<value>` parameters.

    Without parameters: the first variant. With option parameters: the first variant that has
    every chosen value (options not mentioned may be anything); none → no variant, and the
    form still shows what was chosen.
    """
    if not variants:
        return VariantChoice(variant=None, selected={})
    wanted_id = params.get("variant", "")
    if wanted_id.isdigit():
        for variant in variants:
            if variant.id == int(wanted_id):
                return VariantChoice(variant=variant, selected=dict(variant.options))
    chosen = {
        group.slug: params[group.slug]
        for group in groups
        if params.get(group.slug) in {choice.slug for choice in group.choices}
    }
    if not chosen:
        return VariantChoice(variant=variants[0], selected=dict(variants[0].options))
    for variant in variants:
        if all(variant.options.get(slug) == value for slug, value in chosen.items()):
            return VariantChoice(variant=variant, selected={**variant.options, **chosen})
    return VariantChoice(variant=None, selected=chosen)


# --- search facets and the sitemap -------------------------------------------------------
def option_facets() -> list[OptionType]:
    """Option types with their values (`values_json`), for the search filters: one query."""
    values = (
        OptionValue.objects.filter(option_type=OuterRef("pk"))
        .order_by("position", "value")
        .values(json=JSONObject(id="id", value="value", slug="slug"))
    )
    return list(
        OptionType.objects.order_by("position", "name", "id").annotate(
            values_json=ArraySubquery(values)
        )
    )


def sitemap_entries() -> dict[str, list[tuple[str, Any]]]:
    """(slug or path, last modified) of published products, categories and published
    collections: three queries."""
    return {
        "products": list(published_products().order_by("id").values_list("slug", "updated")),
        "categories": list(Category.objects.order_by("path").values_list("path", "updated")),
        "collections": list(
            Collection.objects.filter(is_published=True)
            .order_by("slug")
            .values_list("slug", "updated")
        ),
    }
