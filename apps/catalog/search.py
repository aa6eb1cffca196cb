"""Product search for the storefront and the API: full-text rank plus trigram typo tolerance,
filters and sorts, as one lazy queryset (one SQL query, whatever is combined).

How a query matches (both branches can use an index, see test_search's EXPLAIN test):
- full text: `search_vector @@ websearch_to_tsquery('simple', q)` on the GIN index
  catalog_product_search; the document weighs name (A) > SKUs (B) > description (C), so ts_rank
  puts a name match above a SKU match above a description match;
- typos ("tshirt", "hoddie"): word_similarity(q, name) >= TYPO_SIMILARITY. pg_trgm's own
  operators use a 0.6 threshold set per session, too strict for a doubled letter, so the
  candidates come from the trigram GIN index (catalog_product_name_trgm) through a regex of
  the query's trigrams, and the similarity is checked on those candidates only.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.db.models.lookups import StartsWith

from apps.catalog.models import (
    Category,
    Collection,
    CollectionProduct,
    OptionValue,
    Product,
    Variant,
)
from apps.catalog.services._derived import SEARCH_CONFIG
from apps.inventory.selectors import variant_buyable_q

# word_similarity of the query to the best-matching stretch of the name: "hoddie" ~ "Hoodie"
# is 0.40, "tshirt" ~ "T-Shirt" 0.57, "sneekers" ~ "Sneakers" 0.50; "shirt" ~ "Skirt" is 0.33
# and stays out. Typo matches rank below full-text matches (their rank part is 0).
TYPO_SIMILARITY = 0.35
# How much a perfect name similarity adds to the full-text rank (a name hit ranks 1.0 or more).
SIMILARITY_WEIGHT = 0.5
SORTS = ("relevance", "price", "-price", "newest", "name")
_WORD = re.compile(r"\w+")
_WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-\w|\sor\s', re.IGNORECASE)


def product_available_q() -> Q:
    """Products a shopper can buy now: published, with at least one variant in stock,
    untracked or taking backorders (apps.inventory's rule)."""
    return Q(status=Product.Status.PUBLISHED) & Exists(
        Variant.objects.filter(product=OuterRef("pk")).filter(variant_buyable_q())
    )


def _trigram_pattern(query: str) -> str | None:
    """A POSIX regex matching any of the query's word trigrams ("hod|odd|ddi|die"); the trigram
    GIN index answers it, giving the candidates whose similarity is then checked."""
    grams = []
    for word in _WORD.findall(query.lower()):
        grams += [word[i : i + 3] for i in range(len(word) - 2)]
    grams = list(dict.fromkeys(g for g in grams if g.isalnum()))
    return "|".join(grams) if grams else None


def query_match_q(query: str) -> Q:
    """Products matching a search query: full text, or (plain words only) a name similar
    enough for a typo. Needs the `name_similarity` annotation (product_search adds it).

    A query using websearch syntax ("quoted phrase", -exclusion, or) asks for exactly that,
    so it gets no typo matches ("linen -trousers" must not bring "Linen Trousers" back).
    """
    tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    matches = Q(search_vector=tsquery)
    pattern = _trigram_pattern(query)
    if pattern and not _WEBSEARCH_SYNTAX.search(query):
        matches |= Q(name__iregex=pattern) & Q(name_similarity__gte=TYPO_SIMILARITY)
    return matches


def _category_q(category: Category | int | str) -> Q:
    """The category and its descendants (materialised path prefix; no extra query)."""
    if isinstance(category, Category):
        path = category.path
    elif isinstance(category, int) or (isinstance(category, str) and category.isdigit()):
        # An id: the path is looked up in the same SQL statement.
        path_ref = OuterRef("category__path")
        return Q(
            Exists(
                Category.objects.filter(pk=int(category)).filter(
                    Q(path=path_ref) | StartsWith(path_ref, Concat("path", Value("/")))
                )
            )
        )
    else:
        path = str(category).strip("/")
    return Q(category__path=path) | Q(category__path__startswith=f"{path}/")


def _collection_q(collection: Collection | int | str) -> Q:
    entries = CollectionProduct.objects.filter(product=OuterRef("pk"))
    if isinstance(collection, Collection):
        entries = entries.filter(collection_id=collection.pk)
    elif isinstance(collection, int) or str(collection).isdigit():
        entries = entries.filter(collection_id=int(collection))
    else:
        entries = entries.filter(collection__slug=str(collection))
    return Q(Exists(entries))


def _variants_with_options(variants: QuerySet[Variant], values: Iterable[Any]) -> QuerySet:
    """Variants having the chosen option values: OptionValue objects, ids, slugs ("blue") or
    "<type slug>:<value slug>" ("size:m").

    Facet semantics: a variant must have, for every option type among the chosen values, one
    of the chosen values of that type ("M or L, and Blue"). Unknown values match nothing."""
    ids, slugs, qualified = [], [], Q(pk__in=[])
    for value in values:
        if isinstance(value, OptionValue):
            ids.append(value.pk)
        elif isinstance(value, int) or str(value).isdigit():
            ids.append(int(value))
        elif ":" in str(value):
            type_slug, value_slug = str(value).split(":", 1)
            qualified |= Q(option_type__slug=type_slug, slug=value_slug)
        else:
            slugs.append(str(value))
    chosen = OptionValue.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs) | qualified)
    types_wanted = (
        chosen.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("option_type", distinct=True))
        .values("n")
    )
    types_matched = (
        Variant.option_values.through.objects.filter(
            variant=OuterRef("pk"), optionvalue__in=chosen.values("pk")
        )
        .order_by()
        .values("variant")
        .annotate(n=Count("optionvalue__option_type", distinct=True))
        .values("n")
    )
    return variants.annotate(types_matched=Subquery(types_matched)).filter(
        types_matched=Subquery(types_wanted)
    )


def product_search(
    *,
    query: str = "",
    category: Category | int | str | None = None,
    collection: Collection | int | str | None = None,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    option_values: Iterable[Any] = (),
    available: bool | None = None,
    sort: str = "relevance",
) -> QuerySet[Product]:
    """Published products matching `query` (empty: all) and every filter given, sorted by
    `sort` (one of SORTS; "relevance" without a query means newest) with id as the last key.

    The price range and the option values apply to one and the same variant: "M under 20"
    finds products with a size-M variant priced up to 20. With a query, rows carry `relevance`.
    """
    products = Product.objects.filter(status=Product.Status.PUBLISHED)
    query = " ".join((query or "").split())[:200]
    if query:
        tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        similarity = TrigramWordSimilarity(query, "name")
        products = products.annotate(
            name_similarity=similarity,
            relevance=Coalesce(SearchRank(F("search_vector"), tsquery), Value(0.0))
            + SIMILARITY_WEIGHT * similarity,
        ).filter(query_match_q(query))
    if category is not None:
        products = products.filter(_category_q(category))
    if collection is not None:
        products = products.filter(_collection_q(collection))
    option_values = list(option_values or ())
    if price_min is not None or price_max is not None or option_values:
        variants = Variant.objects.filter(product=OuterRef("pk"))
        if price_min is not None:
            variants = variants.filter(price__gte=price_min)
        if price_max is not None:
            variants = variants.filter(price__lte=price_max)
        if option_values:
            variants = _variants_with_options(variants, option_values)
        products = products.filter(Exists(variants))
    if available is not None:
        products = products.filter(product_available_q() if available else ~product_available_q())
    return products.order_by(*_ordering(sort, has_query=bool(query)))


def _ordering(sort: str, *, has_query: bool) -> list[Any]:
    if sort == "relevance" and has_query:
        return [F("relevance").desc(), "-id"]
    if sort == "price":
        return [F("price_min").asc(nulls_last=True), "id"]
    if sort == "-price":
        return [F("price_min").desc(nulls_last=True), "-id"]
    if sort == "name":
        return [Lower("name"), "id"]
    return [F("published_at").desc(nulls_last=True), "-id"]  # newest, and the default
