"""The API's product and variant reads: two SQL statements per page (or per product) whatever
its size, plain dicts out, no per-object serializer work.

Which products and in what order is an ORM queryset (product_search and the API's filters,
the keyset slice) reduced to `id` plus the sort key. Around it goes one constant SELECT that
joins the product's category and type and brings its images (JSON) and tags (an array) in
correlated subqueries; a second constant SELECT brings the page's variants with their option
values. Building these projections through the ORM on every request cost more than running
them (expression cloning and compiling), so their text is made once, at import.

Money leaves the database as text ("12.50"), never through float; the API shows it as a string,
like DRF's DecimalField. Image URLs come from the storage (per store prefix) in Python.
"""

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.models import QuerySet
from django.utils.encoding import filepath_to_uri

from apps.catalog.images import THUMBNAIL_SIZES
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    OptionType,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductType,
    Tag,
    Variant,
)
from apps.core.api.pagination import ID_ORDERING, KeysetOrdering
from apps.core.storage import StoreFileSystemStorage, current_schema_prefix


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_OPTION_LINKS = _table(Variant.option_values.through)

# An attribute value as JSON by its attribute's kind (av: the value row, a: the attribute,
# ch: the chosen choice): numbers as strings without trailing zeros ("12.5"), like prices.
ATTRIBUTE_VALUE_JSON = """CASE a.kind
    WHEN 'number' THEN to_json(trim_scale(av.value_number)::text)
    WHEN 'boolean' THEN to_json(av.value_boolean)
    WHEN 'choice' THEN CASE WHEN ch.id IS NULL THEN NULL ELSE json_build_object(
        'id', ch.id, 'value', ch.value, 'slug', ch.slug) END
    ELSE to_json(av.value_text)
END"""
_TAG_LINKS = _table(Product.tags.through)


# (row key, SQL) of each column of a product row, after the page's own columns.
_PRODUCT_COLUMNS = [
    ("id", "p.id"),
    ("name", "p.name"),
    ("slug", "p.slug"),
    ("description", "p.description"),
    ("status", "p.status"),
    ("seo_title", "p.seo_title"),
    ("seo_description", "p.seo_description"),
    ("price_min", "p.price_min::text"),
    ("price_max", "p.price_max::text"),
    ("created", "p.created"),
    ("updated", "p.updated"),
    ("published_at", "p.published_at"),
    ("category_id", "p.category_id"),
    ("category_name", "c.name"),
    ("category_slug", "c.slug"),
    ("category_path", "c.path"),
    ("product_type_id", "p.product_type_id"),
    ("product_type_name", "t.name"),
    ("product_type_slug", "t.slug"),
    (
        "tags",
        f"""ARRAY(
            SELECT tag.name FROM {_TAG_LINKS} link JOIN {_table(Tag)} tag ON tag.id = link.tag_id
            WHERE link.product_id = p.id ORDER BY tag.name
        )""",
    ),
    (
        "images",
        f"""(
            SELECT coalesce(json_agg(json_build_object(
                    'id', i.id, 'image', i.image, 'alt_text', i.alt_text, 'width', i.width,
                    'height', i.height, 'position', i.position, 'thumbnails', i.thumbnails
                ) ORDER BY i.position, i.id), '[]')
            FROM {_table(ProductImage)} i WHERE i.product_id = p.id
        )""",
    ),
    (
        "attributes",
        f"""(
            SELECT coalesce(json_agg(json_build_object(
                    'id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind, 'unit', a.unit,
                    'value', {ATTRIBUTE_VALUE_JSON}
                ) ORDER BY a.name, a.id), '[]')
            FROM {_table(ProductAttributeValue)} av
            JOIN {_table(Attribute)} a ON a.id = av.attribute_id
            LEFT JOIN {_table(AttributeChoice)} ch ON ch.id = av.value_choice_id
            WHERE av.product_id = p.id
        )""",
    ),
]
_ROW_KEYS = [key for key, _ in _PRODUCT_COLUMNS]
# {keys}, {page} and {order} are filled per request (see product_page_fetch); the rest is made
# once, at import: table names are the same in every store's schema.
_PRODUCT_SELECT = f"""
    SELECT {{keys}}, {", ".join(sql for _, sql in _PRODUCT_COLUMNS)}
    FROM ({{page}}) AS page
    JOIN {_table(Product)} p ON p.id = page.id
    LEFT JOIN {_table(Category)} c ON c.id = p.category_id
    LEFT JOIN {_table(ProductType)} t ON t.id = p.product_type_id
    ORDER BY {{order}}
"""

# The variants of a page's products, flat (one row per variant, its option values as parallel
# arrays, ordered by option type name as the storefront shows them). Measured on the demo
# catalog, this second statement costs the database less than building the variants as
# nested JSON inside the product row, whose per-variant subqueries dominated the page.
OPTION_ORDER = "ot.position, ot.name, ot.id, ov.position, ov.id"
_OPTION_ORDER = f"ORDER BY {OPTION_ORDER}"
_VARIANT_SELECT = f"""
    SELECT v.product_id, v.id, v.sku, v.name, v.price::text, v.compare_at_price::text,
        v.cost::text, v.weight_grams, v.barcode, v.position, v.is_default, v.updated,
        array_agg(ov.id {_OPTION_ORDER}) FILTER (WHERE ov.id IS NOT NULL),
        array_agg(ot.slug {_OPTION_ORDER}) FILTER (WHERE ov.id IS NOT NULL),
        array_agg(ov.value {_OPTION_ORDER}) FILTER (WHERE ov.id IS NOT NULL),
        array_agg(ov.slug {_OPTION_ORDER}) FILTER (WHERE ov.id IS NOT NULL)
    FROM {_table(Variant)} v
    LEFT JOIN {_OPTION_LINKS} link ON link.variant_id = v.id
    LEFT JOIN {_table(OptionValue)} ov ON ov.id = link.optionvalue_id
    LEFT JOIN {_table(OptionType)} ot ON ot.id = ov.option_type_id
    WHERE v.{{column}} = ANY(%s)
    GROUP BY v.id
    ORDER BY v.product_id, v.position, v.id
"""


_VARIANTS_OF_PRODUCTS = _VARIANT_SELECT.format(column="product_id")
_VARIANTS_BY_ID = _VARIANT_SELECT.format(column="id")


def _variant_dict(row: tuple, *, staff: bool) -> dict[str, Any]:
    (_, pk, sku, name, price, compare_at, cost, weight, barcode, position, is_default) = row[:11]
    ids, types, values, slugs = row[12:]
    variant = {
        "id": pk,
        "sku": sku,
        "name": name,
        "price": price,
        "compare_at_price": compare_at,
    }
    if staff:
        variant["cost"] = cost
    variant.update(
        weight_grams=weight,
        barcode=barcode,
        position=position,
        is_default=is_default,
        option_values=[
            {"id": i, "option_type": t, "value": v, "slug": s}
            for i, t, v, s in zip(ids or (), types or (), values or (), slugs or (), strict=True)
        ],
    )
    return variant


def page_fields(ordering: KeysetOrdering) -> list[str]:
    """The columns a page query selects: the id and the sort key's fields."""
    return list(dict.fromkeys(["id", *(key.field for key in ordering.keys)]))


def product_page_fetch(
    page: QuerySet, *, ordering: KeysetOrdering, staff: bool
) -> list[dict[str, Any]]:
    """Run a page of products (a queryset of `.values(*page_fields(ordering))`, filtered,
    ordered and sliced) inside the product projection; rows as dicts, in the page's order,
    each with its sort key values (for the next cursor) and its variants. Two queries (one
    when the page is empty). `staff` adds the variants' cost."""
    fields = page_fields(ordering)
    inner_sql, params = page.query.sql_with_params()
    quote = connection.ops.quote_name
    keys = ", ".join(f"page.{quote(field)}" for field in fields)
    order = ", ".join(
        f"page.{quote(key.field)} {'DESC' if key.descending else 'ASC'}" for key in ordering.keys
    )
    names = [f"key:{field}" for field in fields] + _ROW_KEYS
    rows: list[dict[str, Any]] = []
    by_id: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_PRODUCT_SELECT.format(keys=keys, page=inner_sql, order=order), params)
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            for field in fields:  # the sort key, where KeysetOrdering.cursor_encode reads it
                row[field] = row.pop(f"key:{field}")
            row["variants"] = []
            rows.append(row)
            by_id[row["id"]] = row
        if by_id:
            cursor.execute(_VARIANTS_OF_PRODUCTS, [list(by_id)])
            for variant in cursor.fetchall():
                by_id[variant[0]]["variants"].append(_variant_dict(variant, staff=staff))
    return rows


def product_fetch(queryset: QuerySet[Product], *, product_id: int, staff: bool) -> dict | None:
    """One product's row (None when `queryset` does not hold it): two queries (the product,
    then its variants)."""
    page = queryset.filter(pk=product_id).values(*page_fields(ID_ORDERING))
    rows = product_page_fetch(page, ordering=ID_ORDERING, staff=staff)
    return rows[0] if rows else None


def _json(value: Any) -> Any:
    # psycopg decodes `json` itself; a driver that hands back text gets decoded here.
    return json.loads(value) if isinstance(value, str) else value


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    # DRF's format: ISO 8601, UTC as "Z".
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _image(data: dict, url) -> dict:
    thumbnails = data.get("thumbnails") or {}
    original = url(data["image"]) if data["image"] else ""
    return {
        "id": data["id"],
        "url": original,
        "alt_text": data["alt_text"],
        "width": data["width"],
        "height": data["height"],
        "position": data["position"],
        "thumbnails": {
            size: url(thumbnails[size]) if thumbnails.get(size) else original
            for size in THUMBNAIL_SIZES
        },
    }


def product_present(row: dict, *, currency: str, url=None) -> dict:
    """The API's product object from one product_page_fetch() row."""
    url = url or storage_url_function()
    category_id = row["category_id"]
    product_type_id = row["product_type_id"]
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "description": row["description"],
        "status": row["status"],
        "category": None
        if category_id is None
        else {
            "id": category_id,
            "name": row["category_name"],
            "slug": row["category_slug"],
            "path": row["category_path"],
        },
        "product_type": None
        if product_type_id is None
        else {
            "id": product_type_id,
            "name": row["product_type_name"],
            "slug": row["product_type_slug"],
        },
        "tags": row["tags"],
        "seo_title": row["seo_title"],
        "seo_description": row["seo_description"],
        "currency": currency,
        "price_min": row["price_min"],
        "price_max": row["price_max"],
        "variants": row["variants"],
        "images": [_image(image, url) for image in _json(row["images"])],
        "attributes": _json(row["attributes"]),
        "created": _datetime(row["created"]),
        "updated": _datetime(row["updated"]),
        "published_at": _datetime(row["published_at"]),
    }


def storage_url_function() -> Callable[[str], str]:
    """default_storage.url, or a faster equivalent for file-system storage.

    A page of 100 products with a few images each asks for hundreds of URLs (original and
    thumbnails); FileSystemStorage.url spends most of its time in urljoin. Its URL for a name
    the store's storage already prefixed (every name our services stored) is base_url plus the
    quoted name, which is what the fast path returns; anything else takes the real method."""
    storage = default_storage
    url = storage.url
    base = storage.base_url if isinstance(storage, FileSystemStorage) else None
    if not base or not base.endswith("/"):
        return url
    prefix = f"{current_schema_prefix()}/" if isinstance(storage, StoreFileSystemStorage) else ""

    def fast(name: str) -> str:
        if name.startswith(prefix) and not name.startswith("/") and ".." not in name:
            return base + filepath_to_uri(name)
        return url(name)

    return fast


def products_present(rows: Iterable[dict], *, currency: str) -> list[dict]:
    url = storage_url_function()
    return [product_present(row, currency=currency, url=url) for row in rows]


# --- variants (the /variants/ endpoint: the same object as inside a product) --------------


def variant_page_fetch(page: QuerySet, *, staff: bool) -> list[dict[str, Any]]:
    """Run a page of variants (a values() queryset with the id and the sort key's fields,
    filtered, ordered and sliced): the API's variant objects plus `product` and `updated`, in
    the page's order, each with its sort key values. Two queries (one when empty)."""
    keys = list(page)
    if not keys:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_VARIANTS_BY_ID, [[key["id"] for key in keys]])
        found = {row[1]: row for row in cursor.fetchall()}
    rows = []
    for key in keys:
        row = found.get(key["id"])
        if row is None:  # deleted between the two statements
            continue
        variant = _variant_dict(row, staff=staff)
        variant.update(product=row[0], updated=_datetime(row[11]))
        rows.append({**key, "variant": variant})
    return rows
