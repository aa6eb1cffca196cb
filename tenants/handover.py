"""Carry a new owner, logged in, from the public host's signup to their store's admin.

Sessions are per host, so signup on `localhost` cannot log anyone in on `acme.localhost`.
Signup issues a signed token instead; the store host spends it once:

- signed with SECRET_KEY and a salt of its own (no other signed value is accepted here);
- short-lived: LOGIN_HANDOVER_MAX_AGE seconds;
- bound to one store: it carries the schema and is refused on any other host;
- one-time: it carries a fingerprint of the user's last_login (and password hash), and
  logging in changes last_login, so a spent token no longer matches. The user row is locked
  while the token is checked, so two racing requests cannot both spend it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core import signing
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tenants.utils import schema_context

from apps.core.exceptions import ApplicationError
from tenants.errors import StoreErrorCode
from tenants.models import Tenant

logger = logging.getLogger(__name__)

HANDOVER_SALT = "pycommerce.tenants.handover"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _fingerprint(user) -> str:
    last_login = user.last_login.isoformat() if user.last_login else "never"
    return salted_hmac(
        HANDOVER_SALT, f"{user.pk}|{last_login}|{user.password}", algorithm="sha256"
    ).hexdigest()[:32]


def handover_token_make(*, tenant: Tenant, user_id: int) -> str:
    """A login token for `user_id` in `tenant`'s schema (called from the public host)."""
    with schema_context(tenant.schema_name):
        user = get_user_model().objects.get(pk=user_id)
        fingerprint = _fingerprint(user)
    return signing.dumps(
        {"s": tenant.schema_name, "u": user.pk, "f": fingerprint}, salt=HANDOVER_SALT
    )


def _refused(reason: str) -> ApplicationError:
    logger.info("login handover refused: %s", reason)
    return ApplicationError(
        "This sign-in link has expired or has already been used.",
        code=StoreErrorCode.HANDOVER_INVALID,
        status_code=403,
    )


@transaction.atomic
def handover_login(*, request: HttpRequest, token: str):
    """Spend `token` on the current store host: log its user in and return them."""
    try:
        payload = signing.loads(token, salt=HANDOVER_SALT, max_age=settings.LOGIN_HANDOVER_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise _refused("expired") from exc
    except signing.BadSignature as exc:
        raise _refused("bad signature") from exc
    if not isinstance(payload, dict) or payload.get("s") != connection.schema_name:
        raise _refused("token for another store")
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(pk=payload.get("u"), is_active=True, is_staff=True)
        .first()
    )
    if user is None:
        raise _refused("no such staff account")
    if not constant_time_compare(_fingerprint(user), str(payload.get("f", ""))):
        raise _refused("already used")
    # login() updates last_login inside this transaction: the token is spent on commit.
    login(request, user, backend=AUTH_BACKEND)
    return user


@never_cache
@require_GET
def handover_view(request: HttpRequest) -> HttpResponse:
    try:
        handover_login(request=request, token=request.GET.get("token", ""))
    except ApplicationError as exc:
        store = getattr(request, "tenant", None)
        html = render_to_string(
            "public/handover_invalid.html",
            {"message": exc.message, "store_name": getattr(store, "name", "")},
            request=request,
        )
        response = HttpResponse(html, status=exc.status_code)
    else:
        response = HttpResponseRedirect(reverse("admin:index"))
    # The token is in this URL: keep it out of Referer headers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    return response
