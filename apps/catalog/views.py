"""The storefront: thin views over apps.catalog.storefront (reads), apps.catalog.search and
apps.catalog.seo. Anonymous pages are cached whole by apps.catalog.pagecache.

Query budgets (theme snapshot warm in the cache; pinned in tests/catalog/storefront):
home 4, product list 2, category 2, collection 3, product 3, search 3, sitemap 3, robots 0.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.catalog import seo
from apps.catalog import storefront as reads
from apps.catalog.page_context import page_context, page_meta
from apps.catalog.pagecache import storefront_page
from apps.catalog.search import product_search
from apps.core import views as core_views
from apps.themes.selectors import builtin_snapshot, theme_get_active_cached

PER_PAGE = 24
HOME_SHELF = 8
PRICE_MAX = Decimal("9999999999.99")


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), 10_000) if raw.isdigit() and int(raw) > 0 else 1


def _pagination_queries(request: HttpRequest, page: int) -> dict[str, str]:
    params = {k: v for k, v in request.GET.lists() if k != "page"}

    def query(number: int) -> str:
        pairs = [(k, v) for k, values in params.items() for v in values]
        if number > 1:
            pairs.append(("page", str(number)))
        return urlencode(pairs)

    return {"query_prev": query(page - 1), "query_next": query(page + 1)}


def _absolute(request: HttpRequest, url: str) -> str:
    return request.tenant.url(url) if url.startswith("/") else url


@require_GET
@storefront_page
def home(request: HttpRequest) -> HttpResponse:
    tree = reads.category_tree()
    featured = reads.collection_get_featured()
    featured_products = (
        reads.cards(reads.products_in_collection(featured), limit=HOME_SHELF) if featured else []
    )
    new_arrivals = reads.cards(
        reads.sorted_products(reads.published_products(), "newest"), limit=HOME_SHELF
    )
    hero = next((p for p in [*featured_products, *new_arrivals] if p.card_image), None)
    hero_image = reads.image_url(hero.card_image, "large") if hero else ""
    store = request.tenant
    meta = page_meta(
        request,
        path="/",
        title=store.name,
        description=f"Shop {store.name} online.",
        image=_absolute(request, hero_image) if hero_image else "",
        jsonld={
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": store.name,
            "url": store.url("/"),
            "potentialAction": {
                "@type": "SearchAction",
                "target": store.url("/search/?q={search_term_string}"),
                "query-input": "required name=search_term_string",
            },
        },
    )
    return render(
        request,
        "storefront/home.html",
        page_context(
            request, tree, meta,
            page_name="home", featured=featured, featured_products=featured_products,
            new_arrivals=new_arrivals, hero_image=hero_image,
            hero_alt=hero.card_image_alt if hero else "",
        ),
    )  # fmt: skip


def _listing(
    request: HttpRequest,
    *,
    tree: reads.CategoryTree,
    queryset,
    meta: seo.PageMeta,
    heading: str,
    intro: str = "",
    breadcrumbs=(),
    **extra,
) -> HttpResponse:
    # "" keeps the queryset's own order: newest first, or the merchant's order in a collection.
    sort = request.GET.get("sort", "")
    if sort in reads.SORTS:
        queryset = reads.sorted_products(queryset, sort)
    else:
        sort = ""
    default_label = extra.pop("default_sort_label", "Newest")
    page = _page_number(request)
    page_obj = reads.card_page(queryset, page=page, per_page=PER_PAGE)
    if page > 1 and not page_obj.products:
        raise Http404("No such page.")
    return render(
        request,
        "storefront/product_list.html",
        page_context(
            request, tree, meta,
            heading=heading, intro=intro, page_obj=page_obj, sort=sort,
            sort_options=[("", default_label), *reads.SORT_LABELS_LISTING],
            breadcrumbs=list(breadcrumbs), **_pagination_queries(request, page), **extra,
        ),
    )  # fmt: skip


@require_GET
@storefront_page
def product_list(request: HttpRequest) -> HttpResponse:
    tree = reads.category_tree()
    path = reverse("storefront:products")
    meta = page_meta(request, path=path, title="All products",
                     description=f"Every product of {request.tenant.name}.")  # fmt: skip
    return _listing(
        request, tree=tree, queryset=reads.sorted_products(reads.published_products(), "newest"),
        meta=meta,
        heading="All products", page_name="products",
    )  # fmt: skip


@require_GET
@storefront_page
def category_detail(request: HttpRequest, path: str) -> HttpResponse:
    tree = reads.category_tree()
    category = tree.by_path.get(path.strip("/"))
    if category is None:
        raise Http404("No such category.")
    url = reverse("storefront:category", args=[category.path])
    crumbs = [("Home", "/")]
    crumbs += [
        (c.name, reverse("storefront:category", args=[c.path])) for c in tree.ancestors(category)
    ]
    crumbs.append((category.name, url))
    meta = page_meta(
        request, path=url, title=category.name, description=category.description,
        seo_title=category.seo_title, seo_description=category.seo_description,
        jsonld=seo.breadcrumbs_jsonld([(name, _absolute(request, u)) for name, u in crumbs]),
    )  # fmt: skip
    return _listing(
        request, tree=tree, queryset=reads.products_in_categories(tree.subtree_ids(category)),
        meta=meta, heading=category.name, intro=category.description, breadcrumbs=crumbs,
        current_category=category,
    )  # fmt: skip


@require_GET
@storefront_page
def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tree = reads.category_tree()
    collection = reads.collection_get_published(slug=slug)
    if collection is None:
        raise Http404("No such collection.")
    url = reverse("storefront:collection", args=[collection.slug])
    meta = page_meta(
        request, path=url, title=collection.name, description=collection.description,
        seo_title=collection.seo_title, seo_description=collection.seo_description,
    )  # fmt: skip
    return _listing(
        request, tree=tree, queryset=reads.products_in_collection(collection), meta=meta,
        heading=collection.name, intro=collection.description,
        breadcrumbs=[("Home", "/"), (collection.name, url)], default_sort_label="Featured",
    )  # fmt: skip


@require_GET
@storefront_page
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tree = reads.category_tree()
    product = reads.product_get_for_page(slug=slug)
    if product is None:
        raise Http404("No such product.")
    variants, groups = reads.product_variants(product=product)
    choice = reads.variant_pick(variants=variants, groups=groups, params=request.GET.dict())
    variant = choice.variant
    url = reverse("storefront:product", args=[product.slug])
    images = [
        {
            "id": image["id"],
            "alt": image["alt"],
            "large": reads.image_url(image, "large"),
            "thumb": reads.image_url(image, "thumb"),
        }
        for image in product.images_json
    ]
    crumbs = [("Home", "/")]
    if product.category_id and product.category_id in tree.by_id:
        category = tree.by_id[product.category_id]
        crumbs += [
            (c.name, reverse("storefront:category", args=[c.path]))
            for c in [*tree.ancestors(category), category]
        ]
    crumbs.append((product.name, url))
    store = request.tenant
    jsonld = seo.product_jsonld(
        name=product.name,
        description=product.description,
        url=store.url(url),
        images=[_absolute(request, image["large"]) for image in images],
        currency=store.currency,
        offers=[
            {
                "sku": v.sku,
                "price": v.price,
                "url": store.url(f"{url}?variant={v.id}"),
                "available": v.in_stock,
            }
            for v in variants
        ],
        store_name=store.name,
        sku=variant.sku if variant else "",
        category=product.category.name if product.category else "",
    )
    meta = page_meta(
        request, path=url, title=product.name, description=product.description,
        seo_title=product.seo_title, seo_description=product.seo_description,
        image=_absolute(request, images[0]["large"]) if images else "", og_type="product",
        jsonld=jsonld,
    )  # fmt: skip
    compare_at = variant.compare_at_price if variant and variant.on_sale else None
    option_groups = [
        {
            "name": group.name,
            "slug": group.slug,
            "choices": [
                {
                    "value": c.value,
                    "slug": c.slug,
                    "checked": choice.selected.get(group.slug) == c.slug,
                }
                for c in group.choices
            ],
        }
        for group in groups
    ]
    return render(
        request,
        "storefront/product.html",
        page_context(
            request, tree, meta,
            product=product, variant=variant, images=images, option_groups=option_groups,
            compare_at=compare_at,
            saving=variant.compare_at_price - variant.price if compare_at else None,
            price_varies=product.price_min != product.price_max,
            attributes=_attributes(product.attributes_json), breadcrumbs=crumbs,
            current_category=product.category,
        ),
    )  # fmt: skip


def _attributes(rows: list[dict]) -> list[dict[str, str]]:
    shown = []
    for row in rows:
        kind = row["kind"]
        if kind == "boolean":
            value = "" if row["boolean"] is None else ("Yes" if row["boolean"] else "No")
        elif kind == "number":
            value = "" if row["number"] is None else f"{Decimal(str(row['number'])).normalize():f}"
            value = f"{value} {row['unit']}".strip() if value else ""
        elif kind == "choice":
            value = row["choice"] or ""
        else:
            value = row["text"]
        if value:
            shown.append({"name": row["name"], "value": value})
    return shown


def _decimal(raw: str, label: str, errors: list[str]) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(f"{label} must be a number, e.g. 25 or 19.99.")
        return None
    if not value.is_finite() or value < 0 or value > PRICE_MAX:
        errors.append(f"{label} must be a positive amount.")
        return None
    return value


@require_GET
@storefront_page
def search(request: HttpRequest) -> HttpResponse:
    tree = reads.category_tree()
    query = " ".join(request.GET.get("q", "").split())[:200]
    errors: list[str] = []
    category_path = request.GET.get("category", "")
    category = tree.by_path.get(category_path)
    price_min = _decimal(request.GET.get("price_min", ""), "The lowest price", errors)
    price_max = _decimal(request.GET.get("price_max", ""), "The highest price", errors)
    option_ids = sorted({int(v) for v in request.GET.getlist("option") if v.isdigit()})
    sort = request.GET.get("sort", "")
    sort = sort if sort in reads.SORT_LABELS else ("relevance" if query else "newest")
    results = product_search(
        query=query, category=category, price_min=price_min, price_max=price_max,
        option_values=option_ids, sort=sort,
    )  # fmt: skip
    page = _page_number(request)
    page_obj = reads.card_page(results, page=page, per_page=PER_PAGE)
    category_options = [(path, tree.label(c)) for path, c in tree.by_path.items()]
    meta = page_meta(
        request, path=reverse("storefront:search"),
        title=f"Search: {query}" if query else "Search", noindex=True,
    )  # fmt: skip
    return render(
        request,
        "storefront/search.html",
        page_context(
            request, tree, meta,
            query=query, page_obj=page_obj, sort=sort,
            sort_options=list(reads.SORT_LABELS.items()), option_facets=reads.option_facets(),
            category_options=category_options, errors=errors,
            filters={
                "category": category.path if category else "",
                "price_min": request.GET.get("price_min", "") if price_min is not None else "",
                "price_max": request.GET.get("price_max", "") if price_max is not None else "",
                "option_ids": option_ids,
            },
            **_pagination_queries(request, page),
        ),
    )  # fmt: skip


@require_GET
@storefront_page
def sitemap(request: HttpRequest) -> HttpResponse:
    store = request.tenant
    entries = reads.sitemap_entries()
    urls = [{"loc": store.url("/"), "lastmod": None}]
    urls.append({"loc": store.url(reverse("storefront:products")), "lastmod": None})
    for kind, route in (
        ("categories", "storefront:category"),
        ("collections", "storefront:collection"),
        ("products", "storefront:product"),
    ):
        urls += [
            {"loc": store.url(reverse(route, args=[key])), "lastmod": updated}
            for key, updated in entries[kind]
        ]
    return render(request, "storefront/sitemap.xml", {"urls": urls}, content_type="application/xml")


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    body = render_to_string(
        "storefront/robots.txt", {"sitemap_url": request.tenant.url("/sitemap.xml")}
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the store's own look (the API keeps its JSON shape)."""
    if core_views.is_api_request(request) or not getattr(request, "tenant", None):
        return core_views.page_not_found(request, exception)
    meta = page_meta(request, path=request.path, title="Page not found", noindex=True)
    return render(
        request,
        "storefront/404.html",
        page_context(request, reads.category_tree(), meta),
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the store's look, rendered without touching the database (it may be the cause)."""
    if core_views.is_api_request(request) or not getattr(request, "tenant", None):
        return core_views.server_error(request)
    store = request.tenant
    try:
        theme = theme_get_active_cached() or builtin_snapshot()
        html = render_to_string(
            "storefront/500.html",
            {
                "theme": theme,
                "store": store,
                "tree": reads.CategoryTree(roots=[], by_path={}, by_id={}),
                "currency": store.currency,
                "meta": seo.PageMeta(
                    title=f"Something went wrong · {store.name}",
                    description="",
                    canonical="",
                    noindex=True,
                ),
            },
        )
    except Exception:  # the fallback must never fail itself
        return core_views.server_error(request)
    return HttpResponse(html, status=500)
