"""The order page, /orders/<token>/: the confirmation after checkout and the order's status
later, found by its unguessable token only; an unpaid card order is paid again here."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.checkout.forms import CardForm, PaymentMethodForm
from apps.checkout.views._common import address_lines, card_context, error_list, storefront_context
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.core.forms import form_errors_add
from apps.orders.models import Order
from apps.payments.services import PaymentMethod, payment_methods_available, payment_start


def _order_get(token: str) -> Order:
    """The order with this storefront token, with its lines (two queries); 404 otherwise.
    Only the token finds an order here: never its number or id."""
    if not token or len(token) > 64:
        raise Http404("No such order.")
    order = Order.objects.filter(token=token).prefetch_related("lines").first()
    if order is None:
        raise Http404("No such order.")
    return order


def _can_pay_again(order: Order, method: PaymentMethod | None) -> bool:
    if order.status != Order.Status.PENDING_PAYMENT:
        return False
    if order.payment_status == Order.PaymentStatus.FAILED:
        return True
    return order.payment_status == Order.PaymentStatus.UNPAID and bool(method and method.needs_card)


def _order_page(
    request: HttpRequest,
    order: Order,
    *,
    payment_form: PaymentMethodForm | None = None,
    card_form: CardForm | None = None,
    status: int = 200,
) -> HttpResponse:
    methods = payment_methods_available(currency=order.currency)
    method = next((m for m in methods if m.code == order.payment_provider), None)
    card_methods = [m for m in methods if m.needs_card]
    pay_again = _can_pay_again(order, method) and bool(card_methods)
    card_form = card_form or CardForm()
    if pay_again and payment_form is None:
        chosen = method.code if method in card_methods else card_methods[0].code
        payment_form = PaymentMethodForm(methods=card_methods, initial={"payment_method": chosen})
    lines = [(line, line.unit_price * line.quantity) for line in order.lines.all()]
    # Stored as text (exact); the page formats them as money.
    discounts = [{**item, "amount": Decimal(item.get("amount") or 0)} for item in order.discounts]
    context = storefront_context(
        request,
        title=f"Order {order}",
        order=order,
        lines=lines,
        discounts=discounts,
        method=method,
        instructions=(
            method.instructions
            if method and not method.needs_card and order.status == Order.Status.PENDING_PAYMENT
            else ""
        ),
        shipping_lines=address_lines(order.shipping_address),
        billing_lines=address_lines(order.billing_address),
        pay_again=pay_again,
        payment_form=payment_form,
        card_form=card_form,
        errors=error_list(payment_form, card_form) if pay_again else [],
        **card_context(card_methods),
    )
    return render(request, "storefront/order.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def order_detail(request: HttpRequest, token: str) -> HttpResponse:
    return _order_page(request, _order_get(token))


@never_cache
@require_POST
def order_pay(request: HttpRequest, token: str) -> HttpResponse:
    """Pay an order awaiting payment again (after a declined card), on the same order."""
    order = _order_get(token)
    methods = [m for m in payment_methods_available(currency=order.currency) if m.needs_card]
    payment_form = PaymentMethodForm(request.POST, methods=methods)
    card_form = CardForm(request.POST)
    if payment_form.is_valid() & card_form.is_valid():
        try:
            outcome = payment_start(
                order=order,
                provider_code=payment_form.method().code,
                payment_data=card_form.payment_data(),
            )
        except ApplicationError as error:
            if isinstance(error, ApplicationFieldErrors):
                form_errors_add(card_form, error, prefix="payment_data.")
            elif error.field in ("provider", "payment_method"):
                form_errors_add(payment_form, error, field_map={"provider": "payment_method"})
            else:  # paid meanwhile, cancelled, a payment in progress
                messages.error(request, error.message)
                return redirect("checkout:order", token=order.token)
        else:
            if outcome.paid:
                messages.success(request, f"Thank you! Your order {order} is paid.")
            elif outcome.failed:
                reason = outcome.message or "The payment did not go through."
                messages.error(request, f"{reason} Try another card.")
            return redirect("checkout:order", token=order.token)
    return _order_page(request, order, payment_form=payment_form, card_form=card_form, status=400)
