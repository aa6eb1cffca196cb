"""The order confirmation email: HTML and text, in the store's name and colours, sent once."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.addresses import Address, address_format
from apps.orders.models import Order
from apps.themes.selectors import theme_get_active


def _store():
    # In a request or a task the connection carries the Tenant row; a bare schema switch
    # (schema_context) carries only the schema name.
    store = connection.tenant
    if hasattr(store, "url"):
        return store
    from tenants.models import Tenant

    return Tenant.objects.get(schema_name=connection.schema_name)


def order_email_context(order: Order) -> dict:
    store = _store()
    theme = theme_get_active()
    return {
        "store_name": store.name,
        "store_url": store.url("/"),
        "order": order,
        "lines": list(order.lines.all()),
        "order_url": store.url(f"/orders/{order.token}/"),
        "shipping_lines": address_format(Address.from_dict(order.shipping_address))
        if order.shipping_address
        else [],
        "billing_lines": address_format(Address.from_dict(order.billing_address))
        if order.billing_address
        else [],
        "accent": theme.colors["color_accent"],
        "accent_text": theme.colors["color_accent_text"],
        "logo_url": theme.logo_url,
    }


def order_confirmation_send(*, order_id: int) -> bool:
    """Send the confirmation of order `order_id` once: the first run marks it sent (a
    conditional UPDATE) and sends it in the same transaction; a second run does nothing."""
    with transaction.atomic():
        claimed = Order.objects.filter(pk=order_id, confirmation_sent_at__isnull=True).update(
            confirmation_sent_at=timezone.now()
        )
        if not claimed:
            return False
        order = Order.objects.get(pk=order_id)
        context = order_email_context(order)
        message = EmailMultiAlternatives(
            subject=f"Your order {order} at {context['store_name']}",
            body=render_to_string("orders/emails/confirmation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[order.email],
            headers={"X-PyCommerce-Store": _store().slug or ""},
        )
        message.attach_alternative(
            render_to_string("orders/emails/confirmation.html", context), "text/html"
        )
        message.send()  # a failure rolls the mark back, so a retry sends it
    return True
