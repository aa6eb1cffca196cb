"""The admin site every host uses, branded and scoped per host.

It is served on store hosts (config/urls_tenant.py): titled with the store's name, open to the
store's active staff only (accounts live in the store's schema, so another store's accounts do
not exist here), and showing only the store's own models. The public host has a separate site,
the operator's (tenants.admin.operator_site); the public-schema branches below are a guard in
case this site is ever mounted there.
"""

from dataclasses import dataclass
from functools import cache, update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db import connection
from django.http import Http404, HttpRequest
from django_tenants.utils import get_app_label, get_public_schema_name

OPERATOR_BRANDING_NAME = "PyCommerce operator"


@dataclass(frozen=True)
class AdminBranding:
    site_header: str
    site_title: str
    index_title: str


def admin_branding(request: HttpRequest) -> AdminBranding:
    store = getattr(request, "tenant", None)
    name = getattr(store, "name", None)
    if not name or _serving_public_schema():
        return AdminBranding(
            site_header=OPERATOR_BRANDING_NAME,
            site_title=OPERATOR_BRANDING_NAME,
            index_title="Stores and operators",
        )
    return AdminBranding(site_header=f"{name} admin", site_title=name, index_title=f"Manage {name}")


def _serving_public_schema() -> bool:
    return connection.schema_name == get_public_schema_name()


@cache
def _app_labels(apps_list: tuple[str, ...]) -> frozenset[str]:
    return frozenset(get_app_label(app) for app in apps_list)


def schema_app_labels() -> frozenset[str]:
    """Apps whose tables exist in the schema being served."""
    apps_list = settings.SHARED_APPS if _serving_public_schema() else settings.TENANT_APPS
    return _app_labels(tuple(apps_list))


class NotFoundMixin:
    """An id that is not in this store's catalog is a 404 (not Django's redirect to the index
    with "perhaps it was deleted"): the same answer whether it never existed or is another
    store's."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class StoreAdminSite(admin.AdminSite):
    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        branding = admin_branding(request)
        context["site_header"] = branding.site_header
        context["site_title"] = branding.site_title
        return context

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        context = {"title": admin_branding(request).index_title, **(extra_context or {})}
        return super().index(request, extra_context=context)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        # The public schema's accounts are the operator's; only its superusers run the fleet.
        return user.is_superuser or not _serving_public_schema()

    def _build_app_dict(self, request: HttpRequest, label: str | None = None):
        allowed = schema_app_labels()
        if label is not None:
            return super()._build_app_dict(request, label) if label in allowed else None
        app_dict = super()._build_app_dict(request)
        return {app_label: app for app_label, app in app_dict.items() if app_label in allowed}

    def admin_view(self, view, cacheable: bool = False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            # A model whose table lives in the other kind of schema (a store's staff looking at
            # the fleet's stores, say) does not exist on this host.
            app_label = model_admin.opts.app_label
            inner = view

            def view(request, *args, **kwargs):
                if app_label not in schema_app_labels():
                    raise Http404
                return inner(request, *args, **kwargs)

            update_wrapper(view, inner)
        return super().admin_view(view, cacheable)


class StoreAdminConfig(AdminConfig):
    default_site = "apps.core.admin_site.StoreAdminSite"
