"""Storefront account pages: register, log in, log out, reset a forgotten password, and the
account's own page. They wear the store's look (theme, header, footer) through
apps.catalog.page_context, like the catalog's pages, and are never indexed.

The account page also lists the customer's latest orders (each linking to its /orders/<token>/
page) and their saved addresses; /account/orders/ pages through every order and
/account/addresses/ keeps the address book (apps.accounts.addresses).

Query budgets (host map and theme snapshot warm; pinned in tests/accounts/test_storefront.py
and tests/accounts/test_addresses.py): log in, register, password reset and its two notices 1
(the category tree); the account page 4 (the signed-in user, the category tree, the latest
orders, the addresses); a reset link 2 (the user it names, the tree).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import addresses as address_book
from apps.accounts import services
from apps.accounts.forms import LoginForm, PasswordResetRequestForm, PasswordSetForm, RegisterForm
from apps.catalog.page_context import page_context, page_meta
from apps.catalog.storefront import category_tree
from apps.checkout.forms import AddressForm, FieldErrorsMixin
from apps.core.addresses import address_format
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_errors_add
from apps.core.http import request_port
from apps.orders.models import Order


def _account_page(request: HttpRequest, *, title: str, **extra) -> dict[str, Any]:
    """The storefront's context around an account page. No canonical URL: these pages are
    noindex, and some paths carry a one-time token."""
    meta = page_meta(request, path="", title=title, noindex=True)
    return page_context(request, category_tree(), meta, **extra)


class AddressDefaultForm(FieldErrorsMixin, forms.Form):
    is_default = forms.BooleanField(label="Use as my default address", required=False)


class AccountPageMixin:
    """For Django's auth views: their context plus the storefront's."""

    page_title = ""

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **_account_page(self.request, title=self.page_title_for(context))}

    def page_title_for(self, context: dict[str, Any]) -> str:
        return self.page_title


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    recent = list(_orders_of(request.user)[: HOME_ORDERS + 1])
    book = address_book.customer_addresses(customer=request.user)
    context = _account_page(
        request,
        title="Your account",
        orders=recent[:HOME_ORDERS],
        more_orders=len(recent) > HOME_ORDERS,
        addresses=[(saved, address_format(address_book.address_of(saved))) for saved in book],
    )
    return render(request, "accounts/home.html", context)


# --- the customer's orders ------------------------------------------------------------------

HOME_ORDERS = 5
ORDERS_PER_PAGE = 20


def _orders_of(customer):
    """The orders this customer placed while signed in, newest first. Only theirs: a guest
    order with the same email is not shown (an email typed at checkout proves nothing)."""
    return (
        Order.objects.filter(customer_id=customer.pk)
        .only("number", "token", "placed_at", "status", "payment_status", "total", "currency")
        .order_by("-placed_at", "-id")
    )


@never_cache
@login_required
def orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(_orders_of(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = _account_page(request, title="Your orders", page=page, orders=page.object_list)
    return render(request, "accounts/orders.html", context)


# --- the customer's address book ------------------------------------------------------------


def _address_lines(book) -> list:
    return [(saved, address_format(address_book.address_of(saved))) for saved in book]


def _saved_or_404(request: HttpRequest, address_id: int):
    try:
        return address_book.customer_address_get(customer=request.user, address_id=address_id)
    except ApplicationError as error:
        raise Http404(error.message) from None


@never_cache
@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    book = address_book.customer_addresses(customer=request.user)
    context = _account_page(request, title="Your addresses", addresses=_address_lines(book))
    return render(request, "accounts/addresses.html", context)


def _address_form_page(request: HttpRequest, *, saved=None) -> HttpResponse:
    """Add (saved None) or change an address; refusals land on their fields."""
    form = AddressForm(request.POST or None, prefix="address", initial=_address_initial(saved))
    default_form = AddressDefaultForm(
        request.POST or None, initial={"is_default": bool(saved and saved.is_default)}
    )
    if request.method == "POST" and form.is_valid() & default_form.is_valid():
        make_default = default_form.cleaned_data["is_default"]
        try:
            if saved is None:
                address_book.customer_address_create(
                    customer=request.user, data=form.address_data(), make_default=make_default
                )
            else:
                address_book.customer_address_update(
                    saved=saved, data=form.address_data(), make_default=make_default
                )
        except ApplicationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Address saved.")
            return redirect("accounts:addresses")
    title = "Add an address" if saved is None else "Change an address"
    context = _account_page(
        request, title=title, heading=title, form=form, default_form=default_form, saved=saved
    )
    status = 400 if form.is_bound else 200
    return render(request, "accounts/address_form.html", context, status=status)


def _address_initial(saved) -> dict:
    if saved is None:
        return {}
    return AddressForm.initial_from(address_book.address_of(saved).to_dict())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest) -> HttpResponse:
    return _address_form_page(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    return _address_form_page(request, saved=_saved_or_404(request, address_id))


@never_cache
@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    address_book.customer_address_delete(saved=_saved_or_404(request, address_id))
    messages.success(request, "Address deleted.")
    return redirect("accounts:addresses")


@never_cache
@login_required
@require_POST
def address_default(request: HttpRequest, address_id: int) -> HttpResponse:
    address_book.customer_address_default_set(saved=_saved_or_404(request, address_id))
    messages.success(request, "Default address changed.")
    return redirect("accounts:addresses")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.customer_register(**form.cleaned_data)
        except ApplicationError as exc:
            form.application_error_add(exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return redirect("accounts:home")
    status = 400 if form.is_bound else 200
    context = _account_page(request, title="Create an account", form=form)
    return render(request, "accounts/register.html", context, status=status)


class LoginView(AccountPageMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    page_title = "Log in"


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("storefront:home")


@csrf_protect
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account here.
        services.password_reset_request(
            email=form.cleaned_data["email"], scheme=request.scheme, port=request_port(request)
        )
        return redirect("accounts:password_reset_done")
    status = 400 if form.is_bound else 200
    context = _account_page(request, title="Reset your password", form=form)
    return render(request, "accounts/password_reset.html", context, status=status)


def password_reset_done(request: HttpRequest) -> HttpResponse:
    context = _account_page(request, title="Check your email")
    return render(request, "accounts/password_reset_done.html", context)


class PasswordResetConfirmView(AccountPageMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def page_title_for(self, context: dict[str, Any]) -> str:
        return "Choose a new password" if context["validlink"] else "This link no longer works"


class PasswordResetCompleteView(AccountPageMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    page_title = "Password changed"
