"""Writes about accounts inside one store."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.models import User


def store_url(tenant, path: str = "/") -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{tenant.primary_host}{port}{path}"


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
        "admin_url": store_url(store, "/admin/"),
        "store_url": store_url(store, "/"),
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
