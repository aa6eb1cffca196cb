"""Writes about accounts inside one store.

Services run in the schema of the store being served (the request, or the task's schema); an
account therefore always belongs to exactly one store.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts import selectors
from apps.accounts.errors import AccountErrorCode
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from apps.core.validation import email_normalize


def _email_normalize(email: str) -> str:
    return email_normalize(User.objects.normalize_email(email or ""))


@transaction.atomic
def customer_register(
    *, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Open a customer account in this store. The same address may have an account in any
    number of other stores; each is separate, with its own password."""
    email = _email_normalize(email)
    taken = ApplicationError(
        "An account with this email address already exists. Log in or reset your password.",
        code=AccountErrorCode.EMAIL_TAKEN,
        field="email",
    )
    if selectors.email_is_registered(email=email):
        raise taken
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code=AccountErrorCode.PASSWORD_INVALID, field="password"
        ) from exc
    user.set_password(password)
    try:
        # A savepoint: a concurrent registration of the same address loses here, cleanly.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise taken from exc
    return user


def password_reset_request(*, email: str, scheme: str = "", port: str | None = None) -> int:
    """Queue a reset link for every active account with this address; how many were queued.

    The caller shows the same page either way, so it does not tell who has an account.
    """
    from apps.accounts import tasks

    users = selectors.user_list_for_password_reset(email=email)
    for user in users:
        transaction.on_commit(
            partial(
                tasks.password_reset_email_send.delay, user_id=user.pk, scheme=scheme, port=port
            )
        )
    return len(users)


def password_reset_email_send(*, user_id: int, scheme: str = "", port: str | None = None) -> bool:
    """Email a one-time reset link on this store's host, in this store's name."""
    user = selectors.user_get_active(user_id=user_id)
    if user is None or not user.has_usable_password():
        return False
    store = connection.tenant
    path = reverse(
        "accounts:password_reset_confirm",
        urlconf=settings.ROOT_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "store_name": store.name,
        "store_host": store.primary_host,
        "store_url": store.url("/", scheme=scheme, port=port),
        "reset_url": store.url(path, scheme=scheme, port=port),
        "user": user,
    }
    message = EmailMultiAlternatives(
        subject=f"Reset your password at {store.name}",
        body=render_to_string("accounts/emails/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-PyCommerce-Store": store.slug or ""},
    )
    message.attach_alternative(
        render_to_string("accounts/emails/password_reset.html", context), "text/html"
    )
    message.send()
    return True


@transaction.atomic
def welcome_email_send(*, user_id: int) -> bool:
    """Send the store owner's welcome email once; a second run finds it sent and does nothing."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.welcome_email_sent_at is not None:
        return False
    store = connection.tenant
    context = {
        "store_name": store.name,
        "user": user,
        "admin_url": store.url("/admin/"),
        "store_url": store.url("/"),
        "platform_name": settings.PLATFORM_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Welcome to {settings.PLATFORM_NAME}: {store.name} is open",
        body=render_to_string("emails/welcome.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-PyCommerce-Store": store.slug or ""},
    )
    message.attach_alternative(render_to_string("emails/welcome.html", context), "text/html")
    message.send()
    user.welcome_email_sent_at = timezone.now()
    user.save(update_fields=["welcome_email_sent_at"])
    return True
