"""Whole-page cache of the anonymous storefront, checked before the rest of the stack runs.

A page is cached only when the storefront view marked it cacheable (`storefront_page`), it
answered 200 without setting a cookie, and the request carried neither a session nor a
messages cookie: pages of signed-in shoppers (or anyone with a session) are never stored and
never served from here, so one visitor's page cannot reach another.

Keys live in the per-store default cache (django_tenants.cache.make_key) and carry the
language and the full path with its query string; each entry records the catalog, stock and
theme versions it was rendered with. A hit is one Redis round trip (the versions and the entry
in one MGET) and counts only if the entry's versions are the current ones: any catalog write,
stock movement or theme change makes every cached page of that store stale at once, and the
next render overwrites it.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from apps.catalog.cache import STOCK_VERSION_KEY, catalog_version, stock_version
from apps.catalog.cache import VERSION_KEY as CATALOG_VERSION_KEY
from apps.themes.selectors import ACTIVE_THEME_KEY, ActiveTheme, theme_get_active

PAGE_TIMEOUT = 600
CACHEABLE_PATHS = frozenset({"/", "/sitemap.xml", "/robots.txt"})
CACHEABLE_PREFIXES = ("/products/", "/categories/", "/collections/", "/search/")
# Headers a cached copy must not repeat to the next visitor.
_PRIVATE_HEADERS = frozenset({"set-cookie"})
CACHE_HEADER = "X-Storefront-Cache"


def _page_key(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    path = request.get_full_path()
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return f"storefront:page:{language}:{digest}"


def _eligible(request: HttpRequest) -> bool:
    if request.method != "GET" or getattr(request, "urlconf", None) is not None:
        return False  # only GET, and only on store hosts (the public site sets a urlconf)
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    path = request.path_info
    return path in CACHEABLE_PATHS or path.startswith(CACHEABLE_PREFIXES)


class StorefrontPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _eligible(request):
            return self.get_response(request)
        key = _page_key(request)
        # One round trip: the versions and the page; a cold version means a miss.
        found = cache.get_many([CATALOG_VERSION_KEY, STOCK_VERSION_KEY, ACTIVE_THEME_KEY, key])
        catalog, stock = found.get(CATALOG_VERSION_KEY), found.get(STOCK_VERSION_KEY)
        theme = found.get(ACTIVE_THEME_KEY)
        entry = found.get(key)
        if entry is not None and None not in (catalog, stock, theme):
            rendered_with, status, headers, content = entry
            if rendered_with == (int(catalog), int(stock), theme.version):
                response = HttpResponse(content, status=status, headers=headers)
                response[CACHE_HEADER] = "hit"
                return response
        response = self.get_response(request)
        rendered_with = getattr(response, "storefront_versions", None)
        if (
            rendered_with is not None
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            headers = {k: v for k, v in response.items() if k.lower() not in _PRIVATE_HEADERS}
            cache.set(
                key,
                (tuple(rendered_with), response.status_code, headers, response.content),
                PAGE_TIMEOUT,
            )
            response[CACHE_HEADER] = "miss"
        return response


def storefront_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a storefront view's page cacheable, and give it the theme and catalog version.

    The versions are read before the view reads the catalog, so a write that lands while the
    page renders leaves the entry under the old version, where nobody looks any more.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        version, stock = catalog_version(), stock_version()
        theme: ActiveTheme = theme_get_active()
        request.storefront_theme = theme
        response = view(request, *args, **kwargs)
        response.storefront_versions = (version, stock, theme.version)
        return response

    return wrapped
