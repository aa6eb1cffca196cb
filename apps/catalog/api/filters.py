"""Query parameters of the catalog lists: validated by serializers (errors in the one error
shape, documented in OpenAPI), applied as subqueries so a filter adds no query.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.db.models.lookups import StartsWith
from rest_framework import serializers

from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
    OptionValue,
    Product,
    Variant,
)
from apps.catalog.search import product_available_q
from apps.core.api.pagination import KeysetOrdering, SortKey

# ordering name -> keyset; "relevance" exists only with a search query (see product_search).
PRODUCT_ORDERINGS: dict[str, KeysetOrdering] = {
    "newest": KeysetOrdering(
        name="newest",
        keys=(
            SortKey("published_at", kind="datetime", descending=True, nullable=True),
            SortKey("id", descending=True),
        ),
    ),
    "price": KeysetOrdering(
        name="price",
        keys=(SortKey("price_min", kind="decimal", nullable=True), SortKey("id")),
    ),
    "-price": KeysetOrdering(
        name="-price",
        keys=(
            SortKey("price_min", kind="decimal", descending=True, nullable=True),
            SortKey("id", descending=True),
        ),
    ),
    # Case-insensitive, as the storefront sorts (name_key is annotated by the view).
    "name": KeysetOrdering(name="name", keys=(SortKey("name_key", kind="str"), SortKey("id"))),
    "updated": KeysetOrdering(
        name="updated", keys=(SortKey("updated", kind="datetime"), SortKey("id"))
    ),
}
RELEVANCE = "relevance"
# product_search annotates `relevance` (full-text rank plus name similarity) when it has a query.
RELEVANCE_ORDERING = KeysetOrdering(
    name=RELEVANCE,
    keys=(SortKey("relevance", kind="float", descending=True), SortKey("id", descending=True)),
)
ORDERING_CHOICES = [RELEVANCE, *PRODUCT_ORDERINGS]
# Annotations an ordering's sort key needs.
ORDERING_ANNOTATIONS = {"name": {"name_key": Lower("name")}}


def _category_q(value: str) -> Q:
    """The category (an id, or a path such as "clothing/shirts") and its descendants, as one
    EXISTS over the materialised paths: no extra query."""
    if value.isdigit():
        path_ref = OuterRef("category__path")
        return Q(
            Exists(
                Category.objects.filter(pk=int(value)).filter(
                    Q(path=path_ref) | StartsWith(path_ref, Concat("path", Value("/")))
                )
            )
        )
    path = value.strip("/")
    return Q(category__path=path) | Q(category__path__startswith=f"{path}/")


def _collection_match(value: str) -> Q:
    return Q(pk=int(value)) if value.isdigit() else Q(slug=value)


def published_collection_q(value: str) -> Q:
    """True only when the asked collection is published (shoppers never learn what an
    unpublished collection holds); a constant EXISTS, evaluated once per statement."""
    return Q(Exists(Collection.objects.filter(_collection_match(value), is_published=True)))


def _variant_q(params: dict) -> Q | None:
    """One variant in the price range with the asked option values: for each option type among
    them, one of its asked values ("M or L, and Blue"). None when nothing is asked."""
    pairs = params.get("option") or []
    if params.get("price_min") is None and params.get("price_max") is None and not pairs:
        return None
    variants = Variant.objects.filter(product=OuterRef("pk"))
    if params.get("price_min") is not None:
        variants = variants.filter(price__gte=params["price_min"])
    if params.get("price_max") is not None:
        variants = variants.filter(price__lte=params["price_max"])
    by_type: dict[str, set[str]] = {}
    for pair in pairs:
        option_type, value = pair.split(":", 1)
        by_type.setdefault(option_type, set()).add(value)
    for option_type, values in sorted(by_type.items()):
        # One join per option type: the same variant must match every type.
        variants = variants.filter(
            option_values__in=OptionValue.objects.filter(
                option_type__slug=option_type, slug__in=sorted(values)
            ).values("pk")
        )
    return Q(Exists(variants))


class OptionalBooleanField(serializers.BooleanField):
    # DRF reads a boolean missing from a query string as False; here missing means "any".
    default_empty_html = serializers.empty


class UpdatedSinceFilter(serializers.Serializer):
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only rows changed at or after this ISO 8601 date-time (for sync); such a "
        "list is ordered oldest change first.",
    )


class ProductFilter(UpdatedSinceFilter):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Search words (full text over name, SKUs and description, tolerant of typos). "
        "A search covers published products only, for staff too.",
    )
    category = serializers.CharField(
        required=False,
        max_length=500,
        help_text="Category id or path (clothing/shirts; a top-level category's path is its "
        "slug); its subcategories are included.",
    )
    collection = serializers.CharField(
        required=False, max_length=120, help_text="Collection id or slug."
    )
    price_min = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Lowest price; with price_max and option, one variant must match them all.",
    )
    price_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, help_text="Highest price."
    )
    option = serializers.ListField(
        child=serializers.RegexField(r"^[-a-z0-9_]+:[-a-z0-9_]+$", max_length=121),
        required=False,
        help_text="Option value as <option type slug>:<value slug>, e.g. size:m; repeat it. "
        "Values of one option type are alternatives; different types must all match.",
    )
    available = OptionalBooleanField(
        required=False,
        help_text="true: only products that can be bought now (published, with a priced "
        "variant); false: only those that cannot.",
    )
    status = serializers.ChoiceField(
        choices=Product.Status.choices,
        required=False,
        help_text="Staff only (others see published products); ignored with q.",
    )
    ordering = serializers.ChoiceField(
        choices=ORDERING_CHOICES,
        required=False,
        help_text="relevance (default with q), newest (default), price, -price, name, "
        "updated (default with updated_since).",
    )

    def validate(self, attrs: dict) -> dict:
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"price_max": "Must be at least price_min."}, code="price_range_invalid"
            )
        if attrs.get("ordering") == RELEVANCE and not attrs.get("q"):
            raise serializers.ValidationError(
                {"ordering": "Ordering by relevance needs a search query (q)."},
                code="ordering_invalid",
            )
        return attrs

    @staticmethod
    def ordering_name(params: dict) -> str:
        if params.get("ordering"):
            return params["ordering"]
        if params.get("q"):
            return RELEVANCE
        if params.get("updated_since"):
            return "updated"
        return "newest"


def search_arguments(params: dict) -> dict:
    """ProductFilter's validated params as apps.catalog.search.product_search arguments."""
    category = params.get("category")
    return {
        "query": params.get("q") or "",
        "category": category.strip("/") if category and not category.isdigit() else category,
        "collection": params.get("collection"),
        "price_min": params.get("price_min"),
        "price_max": params.get("price_max"),
        "option_values": params.get("option") or (),
        "available": params.get("available"),
    }


def staff_products_filter(queryset: QuerySet[Product], params: dict) -> QuerySet[Product]:
    """ProductFilter's params over products of every status, with product_search's meaning for
    the filters they share (product_search itself only ever returns published products)."""
    if params.get("category"):
        queryset = queryset.filter(_category_q(params["category"]))
    if params.get("collection"):
        queryset = queryset.filter(
            Exists(
                CollectionProduct.objects.filter(
                    product=OuterRef("pk"),
                    collection__in=Collection.objects.filter(
                        _collection_match(params["collection"])
                    ).values("pk"),
                )
            )
        )
    variant_q = _variant_q(params)
    if variant_q is not None:
        queryset = queryset.filter(variant_q)
    if params.get("available") is not None:
        available = product_available_q()
        queryset = queryset.filter(available if params["available"] else ~available)
    if params.get("status"):
        queryset = queryset.filter(status=params["status"])
    return queryset


class VariantFilter(UpdatedSinceFilter):
    product = serializers.IntegerField(required=False, min_value=1, help_text="Product id.")
    sku = serializers.CharField(required=False, max_length=64, help_text="Exact SKU.")


class CategoryFilter(UpdatedSinceFilter):
    parent = serializers.CharField(
        required=False,
        help_text='Parent category id; "root" for top-level categories.',
    )
