"""The operator's admin, on the public host only.

It is a separate AdminSite from the stores' admin (django.contrib.admin.site): a store owner is
a superuser of their own store's admin, and the Tenant table is readable from every schema, so
registering it on the shared site would show the whole fleet to every merchant.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django_tenants.utils import get_public_schema_name

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from tenants import selectors, services
from tenants.forms import StoreDeleteForm, StoreProfileAdminForm
from tenants.models import Domain, Tenant


class OperatorAdminSite(admin.AdminSite):
    site_header = "PyCommerce operator"
    site_title = "PyCommerce operator"
    index_title = "The fleet"
    # The store list is wide (eight columns); the sidebar would push half of it off screen.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        # Public-schema superusers only: operators, never a store's staff.
        return (
            connection.schema_name == get_public_schema_name()
            and request.user.is_active
            and request.user.is_superuser
        )

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        # Lets shared admin templates (admin/base_site.html) tell this site from a store's.
        context["is_operator_site"] = True
        return context

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            if app["app_label"] == "accounts":
                app["name"] = "Operator accounts"
        return app_list


operator_site = OperatorAdminSite(name="admin")


class StoreStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status.value, status.label) for status in selectors.STORE_STATUSES]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class StoreChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Sizes for the stores on this page only, in one catalog query (no query per row).
        stores = list(self.result_list)
        sizes = selectors.store_sizes(schema_names=[store.schema_name for store in stores])
        for store in stores:
            store.size_on_disk = sizes.get(store.schema_name)
        self.result_list = stores


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary", "created"]
    readonly_fields = ["created"]


@admin.register(Tenant, site=operator_site)
class StoreAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "status",
        "domain_list",
        "owner_email",
        "created",
        "plan",
        "size",
    ]
    list_display_links = ["name", "slug"]
    list_filter = [StoreStatusFilter, "plan"]
    search_fields = ["name", "slug", "owner_email", "domains__domain"]
    ordering = ["-created"]
    list_per_page = 50
    date_hierarchy = None
    actions = ["suspend_stores", "reactivate_stores", "delete_store"]
    inlines = [DomainInline]
    form = StoreProfileAdminForm
    fieldsets = (
        (None, {"fields": ("name", "slug", "status", "owner_email", "plan")}),
        ("Locale", {"fields": ("currency", "language", "timezone")}),
        ("Internals", {"fields": ("schema_name", "created")}),
    )
    readonly_fields = ["slug", "status", "schema_name", "created"]

    def get_queryset(self, request):
        return selectors.store_list().prefetch_related("domains")

    def get_changelist(self, request, **kwargs):
        return StoreChangeList

    def save_model(self, request, obj, form, change):
        # Profile edits go through the service (the form already ran its checks).
        services.store_update(tenant=obj, profile=form.profile())

    def has_add_permission(self, request):
        # Stores are created by provisioning (signup, create_store), never by a bare insert.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="domains")
    def domain_list(self, store: Tenant):
        return format_html_join(", ", "{}", ((domain.domain,) for domain in store.domains.all()))

    @admin.display(description="size on disk")
    def size(self, store: Tenant) -> str:
        size = getattr(store, "size_on_disk", None)
        return "—" if size is None else filesizeformat(size)

    @admin.action(description="Suspend selected stores")
    def suspend_stores(self, request, queryset):
        self._status_action(request, queryset, services.store_suspend, "suspended")

    @admin.action(description="Reactivate selected stores")
    def reactivate_stores(self, request, queryset):
        self._status_action(request, queryset, services.store_reactivate, "reactivated")

    def _status_action(self, request, queryset, service, done: str) -> None:
        changed = 0
        for store in queryset:
            try:
                service(tenant=store)
            except ApplicationError as exc:
                self.message_user(request, f"{store}: {exc.message}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{changed} store(s) {done}.", messages.SUCCESS)

    @admin.action(description="Delete selected store (asks to type its address)…")
    def delete_store(self, request, queryset):
        stores = list(queryset[:2])
        if len(stores) != 1:
            self.message_user(
                request,
                "Select exactly one store to delete: each asks for its own confirmation.",
                messages.WARNING,
            )
            return None
        url = reverse(f"{self.admin_site.name}:tenants_tenant_delete", args=[stores[0].pk])
        return HttpResponseRedirect(url)

    def delete_view(self, request, object_id, extra_context=None):
        """Typed confirmation: the operator types the store's address; the service checks it."""
        store = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_delete_permission(request, store):
            raise PermissionDenied
        form = StoreDeleteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.store_delete(tenant=store, confirmation=form.cleaned_data["confirmation"])
            except ApplicationError as exc:
                form.add_error("confirmation" if exc.field == "confirmation" else None, exc.message)
            else:
                self.message_user(
                    request,
                    f"Store “{store.name}” ({store.slug}) and all its data were deleted.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:tenants_tenant_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Delete the store “{store.name}”",
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": store,
            "store": store,
            "form": form,
            "size": filesizeformat(
                selectors.store_sizes(schema_names=[store.schema_name]).get(store.schema_name, 0)
            ),
            **(extra_context or {}),
        }
        return TemplateResponse(
            request,
            "admin/tenants/tenant/store_delete.html",
            context,
            status=400 if form.is_bound else 200,
        )


@admin.register(User, site=operator_site)
class OperatorAccountAdmin(DjangoUserAdmin):
    """The operator's own accounts (public schema). Every one is a superuser of this admin."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        # Operators are owners of the platform; the customer/staff roles are a store's business.
        obj.role = User.Role.OWNER
        obj.is_staff = True
        if not change:
            obj.is_superuser = True
        super().save_model(request, obj, form, change)
