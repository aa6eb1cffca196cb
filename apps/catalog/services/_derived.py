"""Denormalised product fields kept by services: price range and the search document."""

import html
import re

from django.db import connection
from django.utils.html import strip_tags

from apps.catalog.models import Product, Variant

# 'simple' (no stemming, no stop words) rather than 'english': each store sells in its own
# language (we ship en and de), and English stemming would mangle other languages' words and
# drop English stop words; SKUs and brand names must stay verbatim either way. Plural and typo
# tolerance comes from trigram similarity on the name (apps.catalog.search).
SEARCH_CONFIG = "simple"


# Tags that separate words ("<p>Soft</p><p>Warm</p>" is two words); inline ones do not.
_BLOCK_TAGS = re.compile(r"</?(p|br|li|ul|ol|h[1-6]|blockquote|pre|img|div)\b[^>]*>", re.I)


def description_text(description: str) -> str:
    """The words of a sanitised HTML description, for the search document."""
    text = strip_tags(_BLOCK_TAGS.sub(" ", description or ""))
    return " ".join(html.unescape(text).split())


def product_derived_refresh(product_id: int) -> None:
    """Recompute price_min/price_max and search_vector from the product's name, variants' SKUs
    and description text, and mark the product updated (API sync sees variant changes). One
    UPDATE: name (A) > SKUs (B) > description (C)."""
    description = Product.objects.filter(pk=product_id).values_list("description", flat=True)
    text = description_text(next(iter(description), ""))
    product_table, variant_table = Product._meta.db_table, Variant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {product_table} AS p SET
                price_min = v.lo,
                price_max = v.hi,
                search_vector =
                    setweight(to_tsvector(%(config)s::regconfig, p.name), 'A')
                    || setweight(to_tsvector(%(config)s::regconfig, coalesce(v.skus, '')), 'B')
                    || setweight(to_tsvector(%(config)s::regconfig, %(text)s), 'C'),
                updated = now()
            FROM (
                SELECT min(price) AS lo, max(price) AS hi, string_agg(sku, ' ') AS skus
                FROM {variant_table} WHERE product_id = %(id)s
            ) AS v
            WHERE p.id = %(id)s
            """,
            {"config": SEARCH_CONFIG, "text": text, "id": product_id},
        )
