"""The merchant's orders: the list, and an order's page (read-only: lines, totals, addresses,
tax, payments with their transactions, the timeline) with its actions.

Orders are never edited here. Each action is a small page of its own (it may ask for an amount,
a reference or a reason) that calls one service: payment_mark_paid, payment_capture,
payment_refund, payment_void (apps.payments.services) or order_cancel_and_void (which cancels
through apps.orders.services.order_cancel). A refusal is shown on its field, success as a
message on the order's page.
"""

from dataclasses import dataclass
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from apps.core.addresses import Address, address_format
from apps.core.exceptions import ApplicationError
from apps.core.money import Money
from apps.orders.models import Order, OrderLine
from apps.payments import selectors as payment_selectors
from apps.payments import services as payments
from apps.payments.admin_forms import MarkPaidForm, RefundForm, ServiceForm, VoidForm
from apps.payments.models import Payment, PaymentProviderConfig
from apps.payments.providers import payment_provider_get

CHANGE_ORDER = "orders.change_order"
CHANGE_PAYMENT = "payments.change_payment"
REFUND_PAYMENT = "payments.refund_payment"


def _money(amount, currency: str) -> str:
    return str(Money(amount, currency))


def _provider_label(code: str) -> str:
    """What the store calls a provider (its display name), else the provider's own name."""
    config = PaymentProviderConfig.objects.filter(provider=code).first()
    provider = payment_provider_get(code)
    return (config.display_name if config else "") or (provider.name if provider else code)


class CancelForm(ServiceForm):
    reason = forms.CharField(
        max_length=300,
        initial="Cancelled by staff.",
        help_text="Kept on the order's timeline.",
    )


class CaptureForm(ServiceForm):
    """Nothing to ask: the authorised amount is taken."""


@dataclass(frozen=True)
class PaymentAction:
    """One thing staff can do to a payment from the order's page."""

    slug: str
    label: str
    permission: str
    form: type[forms.Form]

    def allowed(self, payment: Payment, order: Order) -> bool:
        provider = payment_provider_get(payment.provider)
        if self.slug == "mark-paid":
            return (
                payment.status == Payment.Status.PENDING
                and order.status == Order.Status.PENDING_PAYMENT
                and bool(provider and provider.staff_marks_paid)
            )
        if self.slug == "capture":
            return payment.status == Payment.Status.AUTHORIZED
        if self.slug == "refund":
            return payment.status in (Payment.Status.CAPTURED, Payment.Status.PARTIALLY_REFUNDED)
        return payment.status in (Payment.Status.PENDING, Payment.Status.AUTHORIZED)  # void


PAYMENT_ACTIONS = {
    action.slug: action
    for action in (
        PaymentAction("mark-paid", "Mark as paid", CHANGE_PAYMENT, MarkPaidForm),
        PaymentAction("capture", "Capture", CHANGE_PAYMENT, CaptureForm),
        PaymentAction("refund", "Refund", REFUND_PAYMENT, RefundForm),
        PaymentAction("void", "Void", CHANGE_PAYMENT, VoidForm),
    )
}


def _payment_run(action: str, *, payment: Payment, data: dict, actor) -> str:
    amount = _money(payment.amount, payment.currency)
    if action == "mark-paid":
        payments.payment_mark_paid(payment=payment, actor=actor, reference=data["reference"])
        return f"Payment of {amount} marked as paid; the order is paid."
    if action == "capture":
        payments.payment_capture(payment=payment, actor=actor)
        return f"Payment of {amount} captured; the order is paid."
    if action == "refund":
        before = payment.refunded_amount
        payment = payments.payment_refund(
            payment=payment, amount=data["amount"], reason=data["reason"], actor=actor
        )
        given = _money(payment.refunded_amount - before, payment.currency)
        return f"Refunded {given} ({payment.get_status_display().lower()})."
    payments.payment_void(payment=payment, actor=actor, reason=data["reason"])
    return "Payment voided; the order awaits payment again."


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number_display",
        "placed_at",
        "email",
        "status",
        "payment_status",
        "total_display",
    ]
    list_filter = ["status", "payment_status", ("placed_at", admin.DateFieldListFilter)]
    # Searched by get_search_results: "#1001" or "1001", an email, a SKU.
    search_fields = ["email", "lines__sku"]
    search_help_text = "Order number, email or SKU."
    ordering = ["-placed_at", "-id"]
    list_per_page = 50
    actions = ["mark_paid_selected", "cancel_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # orders are placed by the checkout

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # orders are history: cancel or refund them

    def has_mark_paid_permission(self, request) -> bool:
        return request.user.has_perm(CHANGE_PAYMENT)

    @admin.display(description="Order", ordering="number")
    def number_display(self, order: Order) -> str:
        return f"#{order.number}"

    @admin.display(description="Total", ordering="total")
    def total_display(self, order: Order) -> str:
        return _money(order.total, order.currency)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(email__icontains=term) | Q(
            pk__in=OrderLine.objects.filter(sku__icontains=term).values("order_id")
        )
        number = term.removeprefix("#")
        if number.isdigit() and len(number) < 10:
            condition |= Q(number=int(number))
        return queryset.filter(condition), False

    # --- changelist actions --------------------------------------------------------------

    @admin.action(
        description="Mark selected orders as paid (manual payments)", permissions=["mark_paid"]
    )
    def mark_paid_selected(self, request, queryset):
        done, refused = 0, []
        for order in queryset.order_by("id"):
            payment = order.payments.filter(status=Payment.Status.PENDING).first()
            try:
                if payment is None:
                    raise ApplicationError("it has no payment awaiting its money.", code="none")
                payments.payment_mark_paid(payment=payment, actor=request.user)
                done += 1
            except ApplicationError as error:
                refused.append(f"#{order.number}: {error.message}")
        self._summary(request, f"{done} order(s) marked as paid.", done, refused)

    @admin.action(description="Cancel selected orders", permissions=["change"])
    def cancel_selected(self, request, queryset):
        done, refused = 0, []
        for order in queryset.order_by("id"):
            try:
                payments.order_cancel_and_void(
                    order=order, reason="Cancelled by staff.", actor=request.user
                )
                done += 1
            except ApplicationError as error:
                refused.append(f"#{order.number}: {error.message}")
        self._summary(request, f"{done} order(s) cancelled.", done, refused)

    def _summary(self, request, message: str, done: int, refused: list[str]) -> None:
        if done:
            self.message_user(request, message, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    # --- the order's page and its actions ------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:order_id>/payments/<int:payment_id>/<slug:action>/",
                view(self.payment_action_view),
                name="orders_order_payment_action",
            ),
            path("<int:order_id>/cancel/", view(self.cancel_view), name="orders_order_cancel"),
            *super().get_urls(),
        ]

    def _order(self, request: HttpRequest, order_id) -> Order:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        order = Order.objects.filter(pk=order_id).first() if str(order_id).isdigit() else None
        if order is None:  # never existed, or another store's: the same answer
            raise Http404
        return order

    def _order_url(self, order: Order) -> str:
        return reverse("admin:orders_order_change", args=[order.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self._order(request, object_id)
        user = request.user
        order_payments = list(payment_selectors.payments(order_id=order.pk).order_by("id"))
        money = partial(_money, currency=order.currency)
        rows = [
            {
                "payment": payment,
                "provider": _provider_label(payment.provider),
                "amount": money(payment.amount),
                "captured": money(payment.captured_amount),
                "refunded": money(payment.refunded_amount),
                "transactions": [
                    {"tx": tx, "amount": money(tx.amount)} for tx in payment.transactions.all()
                ],
                "actions": [
                    action
                    for action in PAYMENT_ACTIONS.values()
                    if action.allowed(payment, order) and user.has_perm(action.permission)
                ],
            }
            for payment in order_payments
        ]
        lines = [
            {
                "line": line,
                "unit_price": money(line.unit_price),
                "discount": money(line.discount) if line.discount else "",
                "tax": money(line.tax) if line.tax else "",
                "total": money(line.total),
            }
            for line in order.lines.all()
        ]
        return self._page(
            request,
            "detail.html",
            f"Order #{order.number}",
            order=order,
            lines=lines,
            totals=_totals(order, money),
            discounts=[
                {**entry, "amount": money(entry.get("amount") or 0)}
                for entry in order.discounts or []
            ],
            events=list(order.events.select_related("actor").order_by("created", "id")),
            payment_rows=rows,
            shipping_address=_address_lines(order.shipping_address),
            billing_address=_address_lines(order.billing_address),
            can_cancel=order.status == Order.Status.PENDING_PAYMENT and user.has_perm(CHANGE_ORDER),
        )

    def _page(self, request, template: str, title: str, **context) -> HttpResponse:
        return render(
            request,
            f"admin/orders/order/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def _form_page(self, request, *, order: Order, form_class, title: str, intro: str, run):
        """GET: the form. POST: run(cleaned data) -> message; a refusal goes on its field."""
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                message = run(form.cleaned_data)
            except ApplicationError as error:
                form.service_error_add(error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self._order_url(order))
        return self._page(
            request,
            "action.html",
            title,
            order=order,
            form=form,
            intro=intro,
            submit=title,
            is_action=True,
        )

    def payment_action_view(self, request, order_id: int, payment_id: int, action: str):
        order = self._order(request, order_id)
        payment = Payment.objects.filter(pk=payment_id, order=order).first()
        spec = PAYMENT_ACTIONS.get(action)
        if payment is None or spec is None:
            raise Http404
        if not request.user.has_perm(spec.permission):
            raise PermissionDenied
        amount = _money(payment.amount, payment.currency)
        intro = (
            f"{spec.label}: the {payment.provider} payment of {amount} for order #{order.number}."
        )
        if action == "refund":
            intro += (
                f" At most {_money(payment.refundable_amount, payment.currency)} can be refunded."
            )
        return self._form_page(
            request,
            order=order,
            form_class=spec.form,
            title=spec.label,
            intro=intro,
            run=lambda data: _payment_run(action, payment=payment, data=data, actor=request.user),
        )

    def cancel_view(self, request, order_id: int):
        order = self._order(request, order_id)
        if not request.user.has_perm(CHANGE_ORDER):
            raise PermissionDenied

        def run(data: dict) -> str:
            payments.order_cancel_and_void(order=order, reason=data["reason"], actor=request.user)
            return f"Order #{order.number} cancelled; its stock is back on sale."

        return self._form_page(
            request,
            order=order,
            form_class=CancelForm,
            title="Cancel order",
            intro=f"Cancel order #{order.number}: its reserved stock goes back on sale and a "
            "payment that took no money is voided. A paid order is refunded instead.",
            run=run,
        )


def _totals(order: Order, money) -> list[tuple[str, str]]:
    totals = [("Subtotal", money(order.subtotal))]
    if order.discount_total:
        totals.append(("Discounts", f"-{money(order.discount_total)}"))
    shipping = (
        f"Shipping ({order.shipping_method_name})" if order.shipping_method_name else "Shipping"
    )
    totals.append((shipping, money(order.shipping_total)))
    tax_label = "Tax (included)" if order.prices_include_tax else "Tax"
    totals.append((tax_label, money(order.tax_total)))
    totals.append(("Total", money(order.total)))
    return totals


def _address_lines(data: dict | None) -> list[str]:
    return address_format(Address.from_dict(data)) if data else []
