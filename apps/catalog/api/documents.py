"""Product documents: each published product's public API object, rendered once as JSON text.

Reading a page of products is then one statement (the page's ids joined to their documents)
and joining the texts; no per-product work in Python. That is what lets the uncached product
list run at a useful fraction of a trivial view (bench/catalog.py, bench/README.md).

Freshness needs no bookkeeping in the services. A document is stored with a key made of the
store's catalog version (apps.catalog.cache: every catalog write moves it, on commit), the
store currency, the media base URL and the document format; a read takes only documents whose
key is the current one. The products of a page whose documents are missing or stale are
rendered by one more statement, which also stores them (an INSERT ... ON CONFLICT in the same
statement): a page costs one query when its documents are fresh, two after a catalog write.

The documents are rendered in SQL (json_build_object), from the same rows as the live objects
of apps.catalog.api.queries, which staff reads still use (they show costs and every status);
tests/catalog/api/test_documents.py holds the two to the same output. Image URLs are built in
SQL as the storage's base URL plus the stored name, so documents are used only where the
storage's URLs are exactly that (file-system storage, or S3 without signed URLs: see
media_url_base) and only for names that need no URL quoting (every name our services store).
Anything else is rendered by the live path instead, so the output is the same either way.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import QuerySet

from apps.catalog.api import queries
from apps.catalog.cache import catalog_version
from apps.catalog.images import THUMBNAIL_SIZES
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    OptionType,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductDocument,
    ProductImage,
    ProductType,
    Tag,
    Variant,
)
from apps.core.api.pagination import ID_ORDERING, KeysetOrdering
from apps.core.storage import current_schema_prefix

# Bump when the product object's shape changes: every stored document becomes stale.
FORMAT = 3

# Names whose URL is the name itself (no quoting, no "." segments): what upload_name and the
# storage's get_available_name produce.
_SAFE_NAME = r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _iso(column: str) -> str:
    """SQL for DRF's datetime format: ISO 8601 in UTC with "Z", microseconds only when set
    (as datetime.isoformat() writes them)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE "
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {utc})::int %% 1000000 = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z' END"
    )


def _url(name_sql: str) -> str:
    return f"(%(media)s || {name_sql})"


def _thumbnail_name(size: str) -> str:
    return f"(i.thumbnails->>'{size}')"


_THUMBNAILS = ", ".join(
    f"'{size}', CASE WHEN coalesce({_thumbnail_name(size)}, '') <> '' "
    f"THEN {_url(_thumbnail_name(size))} ELSE original.url END"
    for size in THUMBNAIL_SIZES
)
_THUMBNAIL_NAMES_SAFE = " AND ".join(
    f"(coalesce(i.thumbnails->>'{size}', '') = '' "
    f"OR (i.thumbnails->>'{size}') ~ %(safe)s AND starts_with(i.thumbnails->>'{size}', %(prefix)s))"
    for size in THUMBNAIL_SIZES
)

# One statement: the documents of the products in %(ids)s, stored under %(key)s and returned.
# A product whose image names cannot be turned into URLs here gets no document (body NULL).
_RENDER_AND_STORE = f"""
WITH
option_values AS (
    SELECT link.variant_id, json_agg(json_build_object(
            'id', ov.id, 'option_type', ot.slug, 'value', ov.value, 'slug', ov.slug
        ) ORDER BY {queries.OPTION_ORDER}) AS items
    FROM {_table(Variant.option_values.through)} link
    JOIN {_table(Variant)} v ON v.id = link.variant_id
    JOIN {_table(OptionValue)} ov ON ov.id = link.optionvalue_id
    JOIN {_table(OptionType)} ot ON ot.id = ov.option_type_id
    WHERE v.product_id = ANY(%(ids)s)
    GROUP BY link.variant_id
),
variants AS (
    SELECT v.product_id, json_agg(json_build_object(
            'id', v.id, 'sku', v.sku, 'name', v.name, 'price', v.price::text,
            'compare_at_price', v.compare_at_price::text, 'weight_grams', v.weight_grams,
            'barcode', v.barcode, 'position', v.position, 'is_default', v.is_default,
            'option_values', coalesce(o.items, '[]'::json)
        ) ORDER BY v.position, v.id) AS items
    FROM {_table(Variant)} v
    LEFT JOIN option_values o ON o.variant_id = v.id
    WHERE v.product_id = ANY(%(ids)s)
    GROUP BY v.product_id
),
images AS (
    SELECT i.product_id,
        json_agg(json_build_object(
            'id', i.id, 'url', original.url, 'alt_text', i.alt_text, 'width', i.width,
            'height', i.height, 'position', i.position,
            'thumbnails', json_build_object({_THUMBNAILS})
        ) ORDER BY i.position, i.id) AS items,
        bool_and(
            (i.image = '' OR i.image ~ %(safe)s AND starts_with(i.image, %(prefix)s))
            AND {_THUMBNAIL_NAMES_SAFE}
        ) AS renderable
    FROM {_table(ProductImage)} i
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i.image = '' THEN '' ELSE {_url("i.image")} END AS url
    ) original
    WHERE i.product_id = ANY(%(ids)s)
    GROUP BY i.product_id
),
attributes AS (
    SELECT av.product_id, json_agg(json_build_object(
            'id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind, 'unit', a.unit,
            'value', {queries.ATTRIBUTE_VALUE_JSON}
        ) ORDER BY a.name, a.id) AS items
    FROM {_table(ProductAttributeValue)} av
    JOIN {_table(Attribute)} a ON a.id = av.attribute_id
    LEFT JOIN {_table(AttributeChoice)} ch ON ch.id = av.value_choice_id
    WHERE av.product_id = ANY(%(ids)s)
    GROUP BY av.product_id
),
tags AS (
    SELECT link.product_id, json_agg(tag.name ORDER BY tag.name) AS items
    FROM {_table(Product.tags.through)} link
    JOIN {_table(Tag)} tag ON tag.id = link.tag_id
    WHERE link.product_id = ANY(%(ids)s)
    GROUP BY link.product_id
),
rendered AS (
    SELECT p.id, CASE WHEN coalesce(images.renderable, true) THEN json_build_object(
            'id', p.id, 'name', p.name, 'slug', p.slug, 'description', p.description,
            'status', p.status,
            'category', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object(
                'id', c.id, 'name', c.name, 'slug', c.slug, 'path', c.path) END,
            'product_type', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object(
                'id', t.id, 'name', t.name, 'slug', t.slug) END,
            'tags', coalesce(tags.items, '[]'::json),
            'seo_title', p.seo_title, 'seo_description', p.seo_description,
            'currency', %(currency)s::text,
            'price_min', p.price_min::text, 'price_max', p.price_max::text,
            'variants', coalesce(variants.items, '[]'::json),
            'images', coalesce(images.items, '[]'::json),
            'attributes', coalesce(attributes.items, '[]'::json),
            'created', {_iso("p.created")}, 'updated', {_iso("p.updated")},
            'published_at', {_iso("p.published_at")}
        )::text END AS body
    FROM {_table(Product)} p
    LEFT JOIN {_table(Category)} c ON c.id = p.category_id
    LEFT JOIN {_table(ProductType)} t ON t.id = p.product_type_id
    LEFT JOIN variants ON variants.product_id = p.id
    LEFT JOIN images ON images.product_id = p.id
    LEFT JOIN attributes ON attributes.product_id = p.id
    LEFT JOIN tags ON tags.product_id = p.id
    WHERE p.id = ANY(%(ids)s)
),
stored AS (
    INSERT INTO {_table(ProductDocument)} (product_id, key, body)
    SELECT id, %(key)s, body FROM rendered WHERE body IS NOT NULL
    ON CONFLICT (product_id) DO UPDATE SET key = EXCLUDED.key, body = EXCLUDED.body
)
SELECT id, body FROM rendered
"""

# The page (its ids and sort keys, {page}) with the current documents; {keys} and {order} as
# in queries.product_page_fetch.
_PAGE_DOCUMENTS = f"""
    SELECT {{keys}}, d.body
    FROM ({{page}}) AS page
    LEFT JOIN {_table(ProductDocument)} d ON d.product_id = page.id AND d.key = %s
    ORDER BY {{order}}
"""


def media_url_base() -> str | None:
    """The URL prefix that default_storage.url() puts before this store's stored names, or
    None when its URLs are anything else (signed, rewritten), which documents cannot hold."""
    prefix = f"{current_schema_prefix()}/"
    probes = [f"{prefix}catalog/p", f"{prefix}catalog/thumbs/q-1.webp"]
    try:
        urls = [default_storage.url(name) for name in probes]
    except Exception:
        return None
    if not urls[0].endswith(probes[0]):
        return None
    base = urls[0][: -len(probes[0])]
    return base if urls[1] == base + probes[1] else None


@dataclass(frozen=True)
class DocumentContext:
    """What a document's text depends on besides the catalog rows."""

    key: str
    currency: str
    media: str

    @classmethod
    def current(cls, currency: str) -> "DocumentContext | None":
        media = media_url_base()
        if media is None:
            return None
        raw = f"{FORMAT}|{catalog_version()}|{currency}|{media}"
        key = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
        return cls(key=key, currency=currency, media=media)


def documents_render(product_ids: list[int], context: DocumentContext) -> dict[int, str | None]:
    """Render (and store) the documents of these products: {id: JSON text, or None when this
    product needs the live path}. One statement."""
    params = {
        "ids": product_ids,
        "key": context.key,
        "currency": context.currency,
        "media": context.media,
        "safe": _SAFE_NAME,
        "prefix": f"{current_schema_prefix()}/",
    }
    with connection.cursor() as cursor:
        cursor.execute(_RENDER_AND_STORE, params)
        return dict(cursor.fetchall())


def _live_bodies(product_ids: list[int], currency: str) -> dict[int, str]:
    """The live path's objects as JSON text (two queries)."""
    page = Product.objects.filter(pk__in=product_ids).values(*queries.page_fields(ID_ORDERING))
    rows = queries.product_page_fetch(page, ordering=ID_ORDERING, staff=False)
    products = queries.products_present(rows, currency=currency)
    return {
        row["id"]: json.dumps(product, ensure_ascii=False, separators=(",", ":"))
        for row, product in zip(rows, products, strict=True)
    }


def product_page_documents(
    page: QuerySet, *, ordering: KeysetOrdering, currency: str
) -> list[dict[str, Any]]:
    """A page of products (a values() queryset of page_fields(ordering), filtered, ordered,
    sliced) as rows with their sort key values and `body`, the product's JSON text. One query
    when the documents are fresh, two when some must be rendered (three when some of those
    need the live path)."""
    context = DocumentContext.current(currency)
    fields = queries.page_fields(ordering)
    inner_sql, params = page.query.sql_with_params()
    quote = connection.ops.quote_name
    keys = ", ".join(f"page.{quote(field)}" for field in fields)
    order = ", ".join(
        f"page.{quote(key.field)} {'DESC' if key.descending else 'ASC'}" for key in ordering.keys
    )
    sql = _PAGE_DOCUMENTS.format(keys=keys, page=inner_sql, order=order)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, context.key if context else ""])
        rows = [dict(zip([*fields, "body"], values, strict=True)) for values in cursor.fetchall()]
    missing = [row["id"] for row in rows if row["body"] is None]
    if missing:
        bodies = documents_render(missing, context) if context else {}
        live = [pk for pk in missing if not bodies.get(pk)]
        if live:
            bodies.update(_live_bodies(live, currency))
        for row in rows:
            if row["body"] is None:
                row["body"] = bodies.get(row["id"])
        rows = [row for row in rows if row["body"] is not None]  # deleted meanwhile
    return rows


def product_document(queryset: QuerySet[Product], *, product_id: int, currency: str) -> str | None:
    """One product's JSON text (None when `queryset` does not hold it)."""
    page = queryset.filter(pk=product_id).values(*queries.page_fields(ID_ORDERING))
    rows = product_page_documents(page, ordering=ID_ORDERING, currency=currency)
    return rows[0]["body"] if rows else None
