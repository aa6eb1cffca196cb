"""Storefront account pages: register, log in, log out, reset a forgotten password, and the
account's own page. They wear the store's look (theme, header, footer) through
apps.catalog.page_context, like the catalog's pages, and are never indexed.

Query budgets (host map and theme snapshot warm; pinned in tests/accounts/test_storefront.py):
log in, register, password reset and its two notices 1 (the category tree); the account page
2 (the signed-in user, the category tree); a reset link 2 (the user it names, the tree).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.accounts import services
from apps.accounts.forms import LoginForm, PasswordResetRequestForm, PasswordSetForm, RegisterForm
from apps.catalog.page_context import page_context, page_meta
from apps.catalog.storefront import category_tree
from apps.core.exceptions import ApplicationError
from apps.core.http import request_port


def _account_page(request: HttpRequest, *, title: str, **extra) -> dict[str, Any]:
    """The storefront's context around an account page. No canonical URL: these pages are
    noindex, and some paths carry a one-time token."""
    meta = page_meta(request, path="", title=title, noindex=True)
    return page_context(request, category_tree(), meta, **extra)


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
    return render(request, "accounts/home.html", _account_page(request, title="Your account"))


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
