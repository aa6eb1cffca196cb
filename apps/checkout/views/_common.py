"""What every checkout page shares: finding the visitor's cart and checkout, pricing it, the
steps, the page context around a step, and the error summary."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.cart import selectors as cart_reads
from apps.cart.cookies import cart_token_from
from apps.cart.models import Cart
from apps.catalog.page_context import page_context, page_meta
from apps.catalog.storefront import category_tree
from apps.checkout import services
from apps.checkout.models import Checkout
from apps.checkout.pricing import CheckoutPrice
from apps.core.addresses import Address, address_format
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.discounts.pricing import KIND_VOUCHER
from apps.payments.services import PaymentMethod

STEPS = (
    ("details", "Details", "checkout:details"),
    ("shipping", "Shipping", "checkout:shipping"),
    ("review", "Review and pay", "checkout:review"),
)
# Hints shown under the card form of providers that only take test cards.
CARD_HINTS = {
    "test": "Test mode: pay with 4242 4242 4242 4242, any future expiry date and any 3 digits.",
}


def customer_of(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


def visitor_cart(request: HttpRequest) -> Cart | None:
    """The visitor's open cart, found as the cart page finds it: a signed-in customer's own,
    else the one the cart cookie names."""
    customer = customer_of(request)
    if customer is not None:
        return cart_reads.cart_of_customer(customer=customer)
    return cart_reads.cart_find(token=cart_token_from(request), customer=None)


@dataclass
class Found:
    checkout: Checkout
    currency: str


def checkout_found(request: HttpRequest) -> Found | HttpResponse:
    cart = visitor_cart(request)
    if cart is None:
        messages.info(request, "Your cart is empty: add something before checking out.")
        return redirect("cart:detail")
    checkout = services.checkout_for_cart(cart=cart, customer=customer_of(request))
    checkout.cart = cart  # the same row: no second query to reach it
    return Found(checkout=checkout, currency=request.tenant.currency)


def priced(request: HttpRequest, found: Found) -> CheckoutPrice | HttpResponse:
    """The checkout priced now; back to the cart when nothing in it can be bought. A shipping
    method that no longer applies (the cart changed) is dropped, with a word."""
    try:
        price = services.checkout_price_get(checkout=found.checkout, currency=found.currency)
    except ApplicationError as error:
        if error.field != "shipping_method":
            raise
        services.checkout_update(
            checkout=found.checkout, currency=found.currency, shipping_method_id=""
        )
        messages.warning(request, error.message)
        price = services.checkout_price_get(checkout=found.checkout, currency=found.currency)
    if not price.lines:
        messages.info(request, "Your cart is empty: add something before checking out.")
        return redirect("cart:detail")
    return price


def steps_of(current: str, checkout: Checkout) -> list[dict]:
    done = {
        "details": bool(checkout.email and checkout.shipping_address),
        "shipping": bool(checkout.shipping_method_id),
    }
    reachable = True
    steps = []
    for key, label, url_name in STEPS:
        steps.append(
            {
                "label": label,
                "url": reverse(url_name),
                "current": key == current,
                "link": reachable and key != current,
                "done": done.get(key, False),
            }
        )
        reachable = reachable and done.get(key, False)
    return steps


def storefront_context(request: HttpRequest, *, title: str, **extra) -> dict:
    meta = page_meta(request, path="", title=title, noindex=True)
    return page_context(request, category_tree(), meta, **extra)


def checkout_page(
    request: HttpRequest, template: str, *, step: str, found: Found, price, status=200, **extra
) -> HttpResponse:
    checkout = found.checkout
    context = storefront_context(
        request,
        title="Checkout",
        checkout=checkout,
        price=price,
        steps=steps_of(step, checkout),
        voucher_code=checkout.cart.voucher_code,
        voucher_applied=any(discount.kind == KIND_VOUCHER for discount in price.discounts),
        shipping_lines=address_lines(checkout.shipping_address),
        billing_lines=address_lines(checkout.billing_address),
        **extra,
    )
    return render(request, template, context, status=status)


def error_list(*forms) -> list[dict[str, str]]:
    """Every error of these forms for the summary at the top of the page: the field's label
    (with its section, "Billing address: Town or city") and a link to its input."""
    errors = []
    for form in forms:
        if form is None:
            continue
        section = getattr(form, "section", "")
        errors.extend(
            {"anchor": "", "label": "", "message": f"{section}{error}"}
            for error in form.non_field_errors()
        )
        for field in form:
            for error in field.errors:
                label = f"{section}{field.label}"
                errors.append({"anchor": field.id_for_label, "label": label, "message": error})
    return errors


def address_lines(address: dict | None) -> list[str]:
    return address_format(Address.from_dict(address)) if address else []


def error_fields(error: ApplicationError) -> list[str]:
    """The input names a refusal is about ("" for none)."""
    if isinstance(error, ApplicationFieldErrors):
        return [field_error.field for field_error in error.errors]
    return [error.field or ""]


def card_context(methods: list[PaymentMethod]) -> dict:
    return {
        "card_needed": any(method.needs_card for method in methods),
        "card_hint": next((CARD_HINTS[m.code] for m in methods if m.code in CARD_HINTS), ""),
    }
