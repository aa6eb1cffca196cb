"""The merchant's inventory admin. Thin: forms check input, apps.inventory.services do every write.

- Stock locations: Django's pages, saved through location_create / location_update /
  location_delete (a refusal is shown on its field, see ServiceAdminMixin).
- Stock: the list of stock rows (one per variant and location) is Django's changelist; receiving,
  adjusting and transferring are pages of their own (they need a quantity and a reason, which
  a changelist action cannot ask for), as are a variant's stock page (policy, stock per
  location, its ledger) and the low-stock list.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from apps.catalog.models import Variant
from apps.core.admin_services import ServiceAdminMixin
from apps.core.api.pagination import limit_parse
from apps.core.exceptions import ApplicationError
from apps.inventory import selectors, services
from apps.inventory.admin_forms import (
    AdjustForm,
    PolicyForm,
    ReceiveForm,
    StockLocationForm,
    TransferForm,
)
from apps.inventory.models import StockItem, StockLocation, StockPolicy

LEDGER_PAGE = 50


@admin.register(StockLocation)
class StockLocationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = StockLocationForm
    list_display = ["name", "code", "is_default", "is_active", "position"]
    ordering = ["-is_default", "position", "id"]
    search_fields = ["name", "code"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through location_delete
        return actions

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "code", "is_active", "position", "address")}
        if data.get("make_default"):
            fields["is_default"] = True
        if change:
            saved = services.location_update(
                location=StockLocation.objects.get(pk=obj.pk), **fields
            )
        else:
            saved = services.location_create(**fields)
        obj.pk, obj.is_default = saved.pk, saved.is_default

    def delete_model(self, request, obj):
        services.location_delete(location=obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:inventory_stocklocation_change", args=[object_id])
            )


def _url(name: str, *args, **query) -> str:
    url = reverse(f"admin:inventory_stockitem_{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    change_list_template = "inventory/admin/stock_change_list.html"
    list_display = [
        "sku",
        "product",
        "location",
        "on_hand",
        "reserved",
        "available",
        "flags",
        "links",
    ]
    list_filter = ["location", "track_inventory", "allow_backorders"]
    search_fields = ["variant__sku", "variant__product__name"]
    list_select_related = ["variant__product", "location"]
    ordering = ["variant__sku", "location__position", "location_id"]
    list_per_page = 100
    actions = []

    # Rows are made and changed by the services only.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The changelist only lists; the stock pages below check the change permission.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A stock row's page is its variant's stock page.
        item = StockItem.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if item is None:
            raise Http404
        return HttpResponseRedirect(_url("variant", item.variant_id))

    @admin.display(description="SKU", ordering="variant__sku")
    def sku(self, item: StockItem) -> str:
        return format_html(
            '<a href="{}">{}</a>', _url("variant", item.variant_id), item.variant.sku
        )

    @admin.display(description="Product", ordering="variant__product__name")
    def product(self, item: StockItem) -> str:
        return str(item.variant)

    @admin.display(description="Available")
    def available(self, item: StockItem) -> int:
        return item.available

    @admin.display(description="Policy")
    def flags(self, item: StockItem) -> str:
        if not item.track_inventory:
            return "not tracked"
        return "backorders" if item.allow_backorders else "—"

    @admin.display(description="")
    def links(self, item: StockItem) -> str:
        # The SKU links to the variant's page (policy, every location, ledger).
        sku = item.variant.sku
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            [
                (_url("receive", sku=sku, location=item.location_id), "Receive"),
                (_url("adjust", sku=sku, location=item.location_id), "Adjust"),
                (_url("transfer", sku=sku, from_location=item.location_id), "Transfer"),
            ],
        )

    # --- the stock pages ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("receive/", view(self.receive_view), name="inventory_stockitem_receive"),
            path("adjust/", view(self.adjust_view), name="inventory_stockitem_adjust"),
            path("transfer/", view(self.transfer_view), name="inventory_stockitem_transfer"),
            path("low-stock/", view(self.low_stock_view), name="inventory_stockitem_low_stock"),
            path(
                "variant/<int:variant_id>/",
                view(self.variant_view),
                name="inventory_stockitem_variant",
            ),
            *super().get_urls(),
        ]

    def _page(self, request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
        return render(
            request,
            f"inventory/admin/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "can_change": self._can_change(request),
                **context,
            },
        )

    def _can_change(self, request: HttpRequest) -> bool:
        return request.user.has_perm("inventory.change_stockitem")

    def _require(self, request: HttpRequest, *, change: bool = False) -> None:
        if not self.has_view_permission(request) or (change and not self._can_change(request)):
            raise PermissionDenied

    def _form_page(self, request, form_class, *, title: str, template: str, run) -> HttpResponse:
        """GET: the form (prefilled from the query string). POST: run(form) inside a
        transaction; a refusal is shown on its field, success goes to the variant's page."""
        self._require(request, change=True)
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        message = run(form)
                except ApplicationError as error:
                    form.service_error_add(error)
                else:
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(_url("variant", form.variant.pk))
        else:
            form = form_class(initial=request.GET.dict())
        return self._page(request, template, title, form=form)

    def receive_view(self, request: HttpRequest) -> HttpResponse:
        def run(form: ReceiveForm) -> str:
            data = form.cleaned_data
            item = services.stock_receive(
                variant=form.variant,
                quantity=data["quantity"],
                location=data["location"],
                reason=data["reason"],
                reference=data["reference"],
                actor=request.user,
            )
            return (
                f"Received {data['quantity']} of {form.variant.sku} at {item.location}: "
                f"{item.on_hand} on hand."
            )

        return self._form_page(
            request, ReceiveForm, title="Receive stock", template="stock_form.html", run=run
        )

    def adjust_view(self, request: HttpRequest) -> HttpResponse:
        def run(form: AdjustForm) -> str:
            data = form.cleaned_data
            item = services.stock_adjust(
                variant=form.variant,
                location=data["location"],
                reason=data["reason"],
                actor=request.user,
                **form.service_kwargs(),
            )
            return f"{form.variant.sku} at {item.location}: {item.on_hand} on hand."

        return self._form_page(
            request, AdjustForm, title="Adjust stock", template="stock_form.html", run=run
        )

    def transfer_view(self, request: HttpRequest) -> HttpResponse:
        def run(form: TransferForm) -> str:
            data = form.cleaned_data
            out, into = services.stock_transfer(
                variant=form.variant,
                from_location=data["from_location"],
                to_location=data["to_location"],
                quantity=data["quantity"],
                reason=data["reason"],
                actor=request.user,
            )
            return (
                f"Moved {data['quantity']} of {form.variant.sku} from {out.location} "
                f"({out.on_hand} left) to {into.location} ({into.on_hand})."
            )

        return self._form_page(
            request, TransferForm, title="Transfer stock", template="stock_form.html", run=run
        )

    def low_stock_view(self, request: HttpRequest) -> HttpResponse:
        self._require(request)
        rows = selectors.low_stock_list()
        return self._page(request, "low_stock.html", "Low stock", rows=rows)

    def variant_view(self, request: HttpRequest, variant_id: int) -> HttpResponse:
        self._require(request)
        variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
        if variant is None:
            raise Http404
        policy = StockPolicy.objects.filter(pk=variant.pk).first() or StockPolicy(variant=variant)
        initial = {
            "track_inventory": policy.track_inventory,
            "allow_backorders": policy.allow_backorders,
            "low_stock_threshold": policy.low_stock_threshold,
        }
        form = PolicyForm(initial=initial)
        if request.method == "POST":
            if not request.user.has_perm("inventory.change_stockpolicy"):
                raise PermissionDenied
            form = PolicyForm(request.POST, initial=initial)
            if form.is_valid():
                try:
                    services.policy_update(variant=variant, **form.cleaned_data)
                except ApplicationError as error:
                    form.service_error_add(error)
                else:
                    self.message_user(request, "Stock policy saved.", messages.SUCCESS)
                    return HttpResponseRedirect(_url("variant", variant.pk))
        try:
            limit = limit_parse(request.GET.get("limit"), default=LEDGER_PAGE)
            ledger = selectors.ledger_page(
                variant_id=variant.pk, cursor=request.GET.get("cursor"), limit=limit
            )
        except ApplicationError as error:
            raise Http404 from error  # an edited cursor
        return self._page(
            request,
            "variant.html",
            f"Stock of {variant}",
            variant=variant,
            sku_query=urlencode({"sku": variant.sku}),
            items=selectors.stock_items(variant_id=variant.pk).order_by(
                "-location__is_default", "location__position", "location_id"
            ),
            availability=selectors.availability(variant_ids=[variant.pk])[variant.pk],
            policy_form=form,
            can_change_policy=request.user.has_perm("inventory.change_stockpolicy"),
            ledger=ledger,
        )
