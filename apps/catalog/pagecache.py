"""Whole-page cache of the anonymous storefront, checked before the rest of the stack runs.

A page is cached only when the storefront view marked it cacheable (`storefront_page`), it
answered 200 without setting a cookie, and the request carried neither a session nor a
messages cookie: pages of signed-in shoppers (or anyone with a session) are never stored and
never served from here, so one visitor's page cannot reach another.

Keys live in the per-store default cache (django_tenants.cache.make_key) and carry the
catalog version, the theme version, the language and the full path with its query string: any
catalog write or theme change makes every cached page of that store stale at once.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from apps.catalog import cache as catalog_cache
from apps.catalog.cache import catalog_version
from apps.themes.selectors import ACTIVE_THEME_KEY, ActiveTheme, theme_get_active

PAGE_TIMEOUT = 600
CACHEABLE_PATHS = frozenset({"/", "/sitemap.xml", "/robots.txt"})
CACHEABLE_PREFIXES = ("/products/", "/categories/", "/collections/", "/search/")
# Headers a cached copy must not repeat to the next visitor.
_PRIVATE_HEADERS = frozenset({"set-cookie"})
CACHE_HEADER = "X-Storefront-Cache"


def _page_key(request: HttpRequest, catalog: int, theme: int) -> str:
    language = translation.get_language_from_request(request)
    path = request.get_full_path()
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return f"storefront:page:{catalog}:{theme}:{language}:{digest}"


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
        # One round trip for both versions; a cold entry means a miss (the view fills them).
        versions = cache.get_many([catalog_cache._KEY, ACTIVE_THEME_KEY])
        catalog, theme = versions.get(catalog_cache._KEY), versions.get(ACTIVE_THEME_KEY)
        if catalog is not None and theme is not None:
            entry = cache.get(_page_key(request, int(catalog), theme.version))
            if entry is not None:
                status, headers, content = entry
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
                _page_key(request, *rendered_with),
                (response.status_code, headers, response.content),
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
        version = catalog_version()
        theme: ActiveTheme = theme_get_active()
        request.storefront_theme = theme
        response = view(request, *args, **kwargs)
        response.storefront_versions = (version, theme.version)
        return response

    return wrapped
