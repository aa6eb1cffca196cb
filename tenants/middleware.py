"""Chooses the store by hostname, before anything else runs.

Replaces django-tenants' TenantMainMiddleware, which costs a domain query and a
`SET search_path` on every request (see tenants.routing and bench/routing.py).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name

from apps.core import health
from tenants import routing

HEALTH_VIEWS = {"/healthz": health.healthz, "/readyz": health.readyz}
PUBLIC_SITE = FakeTenant(schema_name=get_public_schema_name())

# Host header → hostname, for headers that already passed ALLOWED_HOSTS validation: parsing
# and validating the same few headers on every request is most of what routing costs.
# Bounded like the host map, and dropped when the host settings change.
MAX_HOST_HEADERS = 10_000
_hostnames: dict[str, str] = {}


@receiver(setting_changed)
def _host_settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("ALLOWED_HOSTS", "BASE_DOMAIN", "USE_X_FORWARDED_HOST"):
        _hostnames.clear()


def hostname_of(request: HttpRequest) -> str:
    """The request's hostname: lower case, no port, no trailing dot, no leading "www."."""
    meta = request.META
    header = meta.get("HTTP_X_FORWARDED_HOST" if settings.USE_X_FORWARDED_HOST else "HTTP_HOST")
    hostname = _hostnames.get(header) if header else None
    if hostname is None:
        host, _port = split_domain_port(request.get_host())  # raises DisallowedHost
        hostname = host[4:] if host.startswith("www.") else host
        if header:
            if len(_hostnames) >= MAX_HOST_HEADERS:
                _hostnames.clear()
            _hostnames[header] = hostname
    return hostname


class StoreRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        health_view = HEALTH_VIEWS.get(request.path_info)
        if health_view is not None:
            return health_view(request)

        hostname = hostname_of(request)
        if hostname == settings.BASE_DOMAIN:
            tenant = PUBLIC_SITE
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        else:
            tenant = routing.store_for_host(hostname)
            if tenant is None:
                return unknown_host_response(request)
            if tenant.is_suspended:
                return store_unavailable_response(request, tenant)
            # Store hosts use ROOT_URLCONF, Django's default: nothing to set.

        connection = connections[DEFAULT_DB_ALIAS]
        if connection.schema_name != tenant.schema_name:
            connection.set_tenant(tenant)
        else:
            # Same schema as the last request on this connection: no `SET search_path`.
            connection.tenant = tenant
        request.tenant = tenant
        return self.get_response(request)


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return _api_error(404, "store_not_found", "No store answers on this host.")
    html = render_to_string("tenants/unknown_host.html", {"host": hostname_of(request)})
    return HttpResponse(html, status=404)


def store_unavailable_response(request: HttpRequest, tenant) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return _api_error(503, "store_unavailable", "This store is temporarily unavailable.")
    html = render_to_string("tenants/store_unavailable.html", {"store_name": tenant.name})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "3600"
    return response


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    error_type = "client_error" if status < 500 else "server_error"
    return JsonResponse(
        {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]},
        status=status,
    )
