"""Steps 1 and 2 of the checkout: contact and addresses (/checkout/, a saved address in one
click), then the shipping method (/checkout/shipping/)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import addresses as address_book
from apps.checkout import services
from apps.checkout.forms import AddressForm, ContactForm, ShippingMethodForm
from apps.checkout.models import Checkout
from apps.checkout.views._common import (
    Found,
    checkout_found,
    checkout_page,
    customer_of,
    error_fields,
    error_list,
    priced,
)
from apps.core.addresses import Address, address_format
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_errors_add


def _details_save(found: Found, steps: list[dict], *, complete: bool) -> list[ApplicationError]:
    """Record the step, all of it or nothing (nothing either when a form already refused a
    part: `complete` is False). Every refusal is returned, not only the first, so the shopper
    fixes the email and both addresses in one go."""
    errors: list[ApplicationError] = []
    with transaction.atomic():
        for step in steps:
            try:
                services.checkout_update(checkout=found.checkout, currency=found.currency, **step)
            except ApplicationError as error:
                errors.append(error)
        if errors or not complete:
            transaction.set_rollback(True)
    if errors or not complete:
        found.checkout.refresh_from_db()  # the page shows what is recorded, not the attempt
    return errors


def _details_initial(checkout: Checkout, saved: list) -> tuple[dict, dict, dict]:
    """What the forms start with: the checkout's own details, else the customer's default
    address (the first of `saved`, when it is the default)."""
    shipping = checkout.shipping_address
    if shipping is None and saved and saved[0].is_default:
        shipping = address_book.address_of(saved[0]).to_dict()
    contact = {"email": checkout.email, "billing_same": checkout.billing_address is None}
    return (
        contact,
        AddressForm.initial_from(shipping),
        AddressForm.initial_from(checkout.billing_address),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    found = checkout_found(request)
    if isinstance(found, HttpResponse):
        return found
    price = priced(request, found)
    if isinstance(price, HttpResponse):
        return price
    customer = customer_of(request)
    signed_in = customer is not None
    saved = address_book.customer_addresses(customer=customer) if signed_in else []
    status = 200
    if request.method == "POST":
        contact = ContactForm(request.POST, signed_in=signed_in)
        shipping_form = AddressForm(request.POST, prefix="shipping")
        billing_form = AddressForm(request.POST, prefix="billing")
        contact_ok = contact.is_valid()
        same = bool(contact.cleaned_data.get("billing_same"))
        steps = []
        if contact_ok:
            steps.append({"email": contact.cleaned_data["email"]})
        if shipping_form.is_valid():
            steps.append({"shipping_address": shipping_form.address_data()})
        if same:
            steps.append({"billing_address": None})
        elif billing_form.is_valid():
            steps.append({"billing_address": billing_form.address_data()})
        # Every part goes to the service even when a form refused another part, so all the
        # errors show at once; nothing is recorded unless all of it is right.
        complete = len(steps) == 3
        errors = _details_save(found, steps, complete=complete)
        for error in errors:
            _details_error_add(error, contact, shipping_form, billing_form)
        if complete and not errors:
            if signed_in and contact.cleaned_data.get("save_address"):
                _address_keep(request, customer, found.checkout.shipping_address)
            return redirect("checkout:shipping")
        status = 400
    else:
        contact_initial, shipping_initial, billing_initial = _details_initial(found.checkout, saved)
        contact = ContactForm(initial=contact_initial, signed_in=signed_in)
        shipping_form = AddressForm(initial=shipping_initial, prefix="shipping")
        billing_form = AddressForm(initial=billing_initial, prefix="billing")
    return checkout_page(
        request,
        "storefront/checkout/details.html",
        step="details",
        found=found,
        price=price,
        status=status,
        contact_form=contact,
        shipping_form=shipping_form,
        billing_form=billing_form,
        saved_addresses=[(one, address_format(address_book.address_of(one))) for one in saved],
        errors=error_list(contact, shipping_form, billing_form),
        login_url=f"{reverse('accounts:login')}?next={reverse('checkout:details')}",
    )


def _details_error_add(error: ApplicationError, contact, shipping_form, billing_form) -> None:
    fields = error_fields(error)
    if fields[0].startswith("shipping_address"):
        form_errors_add(shipping_form, error, prefix="shipping_address.")
    elif fields[0].startswith("billing_address"):
        form_errors_add(billing_form, error, prefix="billing_address.")
    else:
        form_errors_add(contact, error)


def _address_keep(request: HttpRequest, customer, address: dict) -> None:
    try:
        address_book.customer_address_create(customer=customer, data=address)
    except ApplicationError as error:
        # The order goes on; only the address book said no (it is full).
        messages.warning(request, error.message)


@never_cache
@require_POST
def saved_address_use(request: HttpRequest) -> HttpResponse:
    """Ship to one of the signed-in customer's saved addresses (one click, then the methods)."""
    customer = customer_of(request)
    if customer is None:
        return redirect("checkout:details")
    found = checkout_found(request)
    if isinstance(found, HttpResponse):
        return found
    try:
        saved = address_book.customer_address_get(
            customer=customer, address_id=request.POST.get("address")
        )
        services.checkout_update(
            checkout=found.checkout,
            currency=found.currency,
            shipping_address=address_book.address_of(saved).to_dict(),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("checkout:details")
    if not found.checkout.email:
        return redirect("checkout:details")
    return redirect("checkout:shipping")


# --- step 2: shipping method ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def shipping(request: HttpRequest) -> HttpResponse:
    found = checkout_found(request)
    if isinstance(found, HttpResponse):
        return found
    checkout = found.checkout
    if not (checkout.email and checkout.shipping_address):
        return redirect("checkout:details")
    price = priced(request, found)
    if isinstance(price, HttpResponse):
        return price
    options = services.checkout_shipping_options(
        checkout=checkout, currency=found.currency, price=price
    )
    chosen = checkout.shipping_method_id or (options[0].method_id if len(options) == 1 else "")
    form = ShippingMethodForm(
        request.POST if request.method == "POST" else None,
        options=options,
        initial={"shipping_method": chosen},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.checkout_update(
                    checkout=checkout,
                    currency=found.currency,
                    shipping_method_id=form.cleaned_data["shipping_method"],
                )
            except ApplicationError as error:
                form_errors_add(form, error)
            else:
                return redirect("checkout:review")
        status = 400
    return checkout_page(
        request,
        "storefront/checkout/shipping.html",
        step="shipping",
        found=found,
        price=price,
        status=status,
        form=form,
        errors=error_list(form),
        options=options,
        country=Address.from_dict(checkout.shipping_address).country_code,
    )
