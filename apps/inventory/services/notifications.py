"""The daily low-stock email to the store's staff."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.models import User
from apps.inventory import selectors
from apps.inventory.models import LowStockDigest

LOW_STOCK_ADMIN_PATH = "/admin/inventory/stockitem/low-stock/"
# The email goes out with the first run (hourly) after this hour, in the store's time zone.
SEND_FROM_HOUR = 7


def _store_now(now: datetime | None) -> datetime:
    store = connection.tenant
    try:
        zone = ZoneInfo(getattr(store, "timezone", "") or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or timezone.now()).astimezone(zone)


def low_stock_email_send(*, now: datetime | None = None, from_hour: int = SEND_FROM_HOUR) -> int:
    """Email the store's active staff the variants at or below their low-stock threshold;
    how many emails went out.

    Nothing is sent when nothing is low, nor before `from_hour` in the store's time zone. At
    most one email a day (the store's day): a row for the day is inserted in the same
    transaction as the sending, so a second run, or one running at the same time, finds it and
    sends nothing, while a failed send rolls the row back and the next run tries again.
    """
    local = _store_now(now)
    if local.hour < from_hour:
        return 0
    day = local.date()
    if LowStockDigest.objects.filter(day=day).exists():
        return 0  # the hourly runs after today's email
    rows = selectors.low_stock_list()
    if not rows:
        return 0
    recipients = list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    store = connection.tenant
    context = {
        "store_name": store.name,
        "rows": rows,
        "count": len(rows),
        "out_of_stock": sum(1 for row in rows if row.available == 0),
        "low_stock_url": store.url(LOW_STOCK_ADMIN_PATH),
        "day": day,
    }
    subject = f"{store.name}: {len(rows)} variant{'s' if len(rows) != 1 else ''} low on stock"
    text = render_to_string("inventory/emails/low_stock.txt", context)
    html = render_to_string("inventory/emails/low_stock.html", context)
    try:
        with transaction.atomic():
            LowStockDigest.objects.create(day=day, variants=len(rows), recipients=len(recipients))
            # One message per person: staff do not see each other's addresses.
            messages = []
            for email in recipients:
                message = EmailMultiAlternatives(
                    subject=subject,
                    body=text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[email],
                    headers={"X-PyCommerce-Store": store.slug or ""},
                )
                message.attach_alternative(html, "text/html")
                messages.append(message)
            get_connection().send_messages(messages)
    except IntegrityError:
        return 0  # already sent today
    return len(recipients)
