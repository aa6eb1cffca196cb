"""The operator's public site: landing, pricing, signup (with its live address check) and
"find my store". Thin: each view validates input and calls one service or selector."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.exceptions import ApplicationError
from tenants import handover, services, tasks
from tenants.forms import FindStoreForm, SignupForm


def _public_port(request: HttpRequest) -> str:
    """The port the visitor reached us on, for links to store hosts ("" for the default).

    Stores answer on the same port as the public host (one server serves both), so the
    signup request's own Host header tells us where the new store is reachable.
    """
    if settings.PUBLIC_PORT:
        return str(settings.PUBLIC_PORT)
    _host, port = split_domain_port(request.get_host())
    default = "443" if request.is_secure() else "80"
    return "" if port in ("", default) else port


def _example_store_host(request: HttpRequest) -> str:
    port = _public_port(request)
    return f"your-name.{settings.BASE_DOMAIN}" + (f":{port}" if port else "")


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/landing.html",
        {"page": "landing", "example_host": _example_store_host(request)},
    )


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    return render(request, "public/pricing.html", {"page": "pricing"})


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store = services.store_provision(
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                owner_email=form.cleaned_data["email"],
                owner_password=form.cleaned_data["password"],
            )
        except ApplicationError as exc:
            form.field_error_set(exc.field, exc.message)
        else:
            token = handover.handover_token_make(tenant=store.tenant, user_id=store.owner_id)
            path = reverse("handover:login", urlconf=settings.ROOT_URLCONF)
            url = store.tenant.url(
                f"{path}?token={token}", scheme=request.scheme, port=_public_port(request)
            )
            return HttpResponseRedirect(url)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "public/signup.html",
        {"page": "signup", "form": form, "base_domain": settings.BASE_DOMAIN},
        status=status,
    )


@never_cache
@require_GET
def slug_check(request: HttpRequest) -> JsonResponse:
    """Live check for the signup form: is this address free? Same rules as signup itself."""
    slug = services.slug_normalize(request.GET.get("slug", ""))
    try:
        services.slug_validate(slug=slug)
    except ApplicationError as exc:
        return JsonResponse(
            {"slug": slug, "available": False, "code": exc.code, "message": exc.message}
        )
    host = f"{slug}.{settings.BASE_DOMAIN}"
    return JsonResponse(
        {"slug": slug, "available": True, "code": None, "message": f"{host} is available."}
    )


@require_http_methods(["GET", "POST"])
def find_store(request: HttpRequest) -> HttpResponse:
    form = FindStoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Queued for every address, known or not: the answer and its timing say nothing.
        tasks.store_links_email_task.delay(
            email=form.cleaned_data["email"], scheme=request.scheme, port=_public_port(request)
        )
        return redirect("public:find_store_sent")
    status = 400 if form.is_bound else 200
    return render(request, "public/find_store.html", {"page": "find", "form": form}, status=status)


@require_GET
def find_store_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/find_store_sent.html", {"page": "find"})
