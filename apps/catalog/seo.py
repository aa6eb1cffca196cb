"""What search engines and link previews read: titles, descriptions, canonical URLs, Open
Graph and schema.org JSON-LD. Pure functions of already-loaded data (no queries)."""

import json
from dataclasses import dataclass
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator

DESCRIPTION_MAX = 160
TITLE_SEPARATOR = " · "
# Characters that could end a <script> element or open an HTML comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
AVAILABILITY_IN_STOCK = "https://schema.org/InStock"
AVAILABILITY_OUT_OF_STOCK = "https://schema.org/OutOfStock"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    jsonld: str = ""  # serialised and escaped for a <script type="application/ld+json">
    noindex: bool = False


def plain_text(html: str, *, max_chars: int = DESCRIPTION_MAX) -> str:
    """Sanitised HTML to one line of text for a meta description."""
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).chars(max_chars)


def page_title(title: str, *, store_name: str, seo_title: str = "") -> str:
    """The merchant's SEO title as written; otherwise "<title> · <store>"."""
    if seo_title:
        return seo_title
    if not title or title == store_name:
        return store_name
    return f"{title}{TITLE_SEPARATOR}{store_name}"


def jsonld_dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def page_meta(
    *,
    store_name: str,
    canonical: str,
    title: str,
    description: str = "",
    seo_title: str = "",
    seo_description: str = "",
    image: str = "",
    og_type: str = "website",
    jsonld: dict[str, Any] | None = None,
    noindex: bool = False,
) -> PageMeta:
    return PageMeta(
        title=page_title(title, store_name=store_name, seo_title=seo_title),
        description=seo_description or plain_text(description),
        canonical=canonical,
        og_type=og_type,
        image=image,
        jsonld=jsonld_dumps(jsonld) if jsonld else "",
        noindex=noindex,
    )


def product_jsonld(
    *,
    name: str,
    description: str,
    url: str,
    images: list[str],
    currency: str,
    offers: list[dict[str, Any]],
    store_name: str,
    sku: str = "",
    category: str = "",
) -> dict[str, Any]:
    """schema.org Product with one Offer per variant.

    `offers` items: {"sku", "price" (Decimal), "url", "available" (bool)}. Prices are strings
    with the amount as stored (no float rounding).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "url": url,
        "brand": {"@type": "Brand", "name": store_name},
        "offers": [
            {
                "@type": "Offer",
                "sku": offer["sku"],
                "url": offer["url"],
                "price": str(offer["price"]),
                "priceCurrency": currency,
                "availability": AVAILABILITY_IN_STOCK
                if offer["available"]
                else AVAILABILITY_OUT_OF_STOCK,
                "itemCondition": "https://schema.org/NewCondition",
                "seller": {"@type": "Organization", "name": store_name},
            }
            for offer in offers
        ],
    }
    if description:
        data["description"] = plain_text(description, max_chars=5000)
    if images:
        data["image"] = images
    if sku:
        data["sku"] = sku
    if category:
        data["category"] = category
    return data


def breadcrumbs_jsonld(items: list[tuple[str, str]]) -> dict[str, Any]:
    """schema.org BreadcrumbList from (name, absolute url) pairs."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(items, start=1)
        ],
    }
