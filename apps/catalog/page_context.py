"""What every page in the store's look renders with: the store's theme (CSS custom properties,
layout, logo, favicon), the category tree for the header and footer, the currency and the
page's SEO meta. The catalog's pages and the account pages both build their context here, so
they wear the same header, footer and theme.

No queries of its own beyond the theme on a cold cache (one): the caller loads the tree, which
it usually needs anyway.
"""

from typing import Any

from django.http import HttpRequest

from apps.catalog import seo
from apps.catalog.storefront import CategoryTree
from apps.themes.selectors import ActiveTheme, theme_get_active


def page_theme(request: HttpRequest) -> ActiveTheme:
    """The theme `storefront_page` read for this request (before the view, so the page cache
    records the version the page renders with); otherwise the active theme, cache first."""
    theme = getattr(request, "storefront_theme", None)
    if theme is None:
        theme = theme_get_active()
        request.storefront_theme = theme
    return theme


def page_meta(request: HttpRequest, *, path: str, title: str, **kwargs) -> seo.PageMeta:
    """SEO meta of a page of this store; `path` gives the canonical URL ("" for none)."""
    store = request.tenant
    canonical = store.url(path) if path else ""
    return seo.page_meta(store_name=store.name, canonical=canonical, title=title, **kwargs)


def page_context(
    request: HttpRequest, tree: CategoryTree, meta: seo.PageMeta, **extra
) -> dict[str, Any]:
    return {
        "theme": page_theme(request),
        "tree": tree,
        "currency": request.tenant.currency,
        "meta": meta,
        **extra,
    }
