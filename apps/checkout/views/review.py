"""Step 3 of the checkout: the review, the payment method and "Place order" (/checkout/review/).

The place-order token (apps.checkout.forms.place_token_make) is signed: its nonce is the
order's idempotency key, so the same page posted twice finds the order it already placed; its
total is what the shopper saw (checkout_complete's expected_total)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.cart.cookies import cart_cookies_set
from apps.checkout import services
from apps.checkout.errors import CheckoutErrorCode
from apps.checkout.forms import (
    CardForm,
    PaymentMethodForm,
    PlaceOrderForm,
    checkout_digest,
    place_token_make,
)
from apps.checkout.models import Checkout
from apps.checkout.pricing import CheckoutPrice
from apps.checkout.views._common import (
    Found,
    card_context,
    checkout_found,
    checkout_page,
    error_fields,
    error_list,
    priced,
)
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_errors_add
from apps.orders.models import Order
from apps.payments.services import PaymentMethod, payment_methods_available


def _missing_step(checkout: Checkout) -> str | None:
    if not (checkout.email and checkout.shipping_address):
        return "checkout:details"
    if not checkout.shipping_method_id:
        return "checkout:shipping"
    return None


def _review_page(
    request: HttpRequest,
    found: Found,
    price: CheckoutPrice,
    *,
    methods: list[PaymentMethod],
    payment_form: PaymentMethodForm | None = None,
    card_form: CardForm | None = None,
    place_token: str = "",
    status: int = 200,
) -> HttpResponse:
    checkout = found.checkout
    card_form = card_form or CardForm()
    if payment_form is None:
        chosen = checkout.payment_provider or (methods[0].code if methods else "")
        payment_form = PaymentMethodForm(methods=methods, initial={"payment_method": chosen})
    return checkout_page(
        request,
        "storefront/checkout/review.html",
        step="review",
        found=found,
        price=price,
        status=status,
        methods=methods,
        payment_form=payment_form,
        card_form=card_form,
        errors=error_list(payment_form, card_form),
        **card_context(methods),
        place_token=place_token
        or place_token_make(checkout_token=checkout.token, total=price.total),
    )


def _order_by_key(key: str) -> Order | None:
    return Order.objects.filter(idempotency_key=key).only("token").first()


def _to_order(order: Order, *, cleared_cart: bool = True) -> HttpResponse:
    response = redirect("checkout:order", token=order.token)
    if cleared_cart:
        cart_cookies_set(response, token=None, count=0)  # the cart became the order
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _place(request)
    found = checkout_found(request)
    if isinstance(found, HttpResponse):
        return found
    missing = _missing_step(found.checkout)
    if missing:
        return redirect(missing)
    price = priced(request, found)
    if isinstance(price, HttpResponse):
        return price
    if not found.checkout.shipping_method_id:  # dropped by _priced: it no longer applies
        return redirect("checkout:shipping")
    methods = payment_methods_available(currency=found.currency)
    return _review_page(request, found, price, methods=methods)


def _place(request: HttpRequest) -> HttpResponse:
    place = PlaceOrderForm(request.POST)
    if not place.is_valid():
        messages.error(request, PlaceOrderForm.stale_message)
        return redirect("checkout:review")
    token = place.cleaned_data["place_token"]
    key = token["idempotency_key"]
    # Placed already (a double click, a resubmit, the back button): the same order again.
    existing = _order_by_key(key)
    if existing is not None:
        return _to_order(existing)
    found = checkout_found(request)
    if isinstance(found, HttpResponse):
        return found
    checkout = found.checkout
    if checkout_digest(checkout.token) != token["checkout"]:
        messages.error(request, PlaceOrderForm.stale_message)
        return redirect("checkout:review")
    methods = payment_methods_available(currency=found.currency)
    payment_form = PaymentMethodForm(request.POST, methods=methods)
    card_form = CardForm(request.POST)
    if payment_form.is_valid() & card_form.is_valid():
        method = payment_form.method()
        try:
            return _complete(request, found, method, card_form, token)
        except ApplicationError as error:
            placed = _order_by_key(key)  # a racing twin placed it meanwhile
            if placed is not None:
                return _to_order(placed)
            answer = _place_refused(request, error, payment_form, card_form)
            if answer is not None:
                return answer
    price = priced(request, found)
    if isinstance(price, HttpResponse):
        return price
    return _review_page(
        request,
        found,
        price,
        methods=methods,
        payment_form=payment_form,
        card_form=card_form,
        place_token=request.POST["place_token"],
        status=400,
    )


def _complete(request, found: Found, method: PaymentMethod, card_form: CardForm, token: dict):
    checkout = found.checkout
    payment_data = card_form.payment_data() if method.needs_card else {}
    services.checkout_update(checkout=checkout, currency=found.currency, payment_method=method.code)
    done = services.checkout_complete(
        checkout=checkout,
        idempotency_key=token["idempotency_key"],
        currency=found.currency,
        payment_data=payment_data,
        expected_total=token["total"],
    )
    order = done.order
    outcome = done.payment
    if outcome is not None and outcome.failed:
        messages.error(
            request,
            f"{outcome.message or 'The payment did not go through.'} Your order {order} is "
            "saved: pay with another card below.",
        )
    elif order.status == Order.Status.PAID:
        messages.success(request, f"Thank you! Your order {order} is placed and paid.")
    else:
        messages.success(request, f"Thank you! Your order {order} is placed.")
    return _to_order(order)


# Refusals that send the shopper back to an earlier step, with the reason.
_STEP_OF_FIELD = {
    "email": "checkout:details",
    "shipping_address": "checkout:details",
    "billing_address": "checkout:details",
    "shipping_method": "checkout:shipping",
}


def _place_refused(
    request: HttpRequest, error: ApplicationError, payment_form, card_form
) -> HttpResponse | None:
    """Where a refusal of "Place order" goes: onto the payment fields (None: the review page
    renders again with them), back to the step that needs fixing, or back to the review with
    the reason (a new total, a sold-out item, a used-up voucher)."""
    fields = error_fields(error)
    if all(field.startswith("payment_data.") for field in fields):
        form_errors_add(card_form, error, prefix="payment_data.")
        return None
    if fields[0] in ("payment_method", "provider"):
        form_errors_add(payment_form, error, field_map={"provider": "payment_method"})
        return None
    messages.error(request, _refusal_message(error))
    step = _STEP_OF_FIELD.get(fields[0].split(".")[0], "checkout:review")
    return redirect(step)


def _refusal_message(error: ApplicationError) -> str:
    if error.code == CheckoutErrorCode.TOTAL_CHANGED:
        return (
            "Prices changed since you opened this page: the new total is shown below. "
            "Check your order and place it again."
        )
    if error.code == CheckoutErrorCode.LINES_UNAVAILABLE:
        return f"{error.message} Nothing was charged; update your cart and try again."
    return error.message
