"""The operator's side effects that are not provisioning: links to stores, "find my store".

Writes about a store's lifecycle stay in tenants.services; this module builds addresses and
sends the "find my store" email.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tenants import selectors

logger = logging.getLogger(__name__)

# At most one "find my store" email per address in this many seconds: the form is public, and
# it must not become a way to flood a store owner's inbox.
FIND_STORE_EMAIL_COOLDOWN = 300


def find_store_cooldown_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"find-store-email:{digest}"


def store_links_email_send(*, email: str, scheme: str = "", port: str = "") -> int:
    """Email `email` the links of every store it owns; returns how many stores were listed.

    Sends nothing when the address owns no store: the page that asks for this never says
    which happened, and strangers' inboxes are not ours to fill.
    """
    stores = selectors.stores_for_owner_email(email=email)
    if not stores:
        logger.info("find my store: no store for the address given")
        return 0
    if not cache.add(find_store_cooldown_key(email), True, FIND_STORE_EMAIL_COOLDOWN):
        logger.info("find my store: an email went to this address moments ago")
        return 0
    links = [
        {
            "name": store.name,
            "host": store.primary_host,
            "suspended": store.is_suspended,
            "storefront_url": store.url("/", scheme=scheme, port=port),
            "admin_url": store.url("/admin/", scheme=scheme, port=port),
        }
        for store in stores
    ]
    context = {"stores": links, "platform_name": settings.PLATFORM_NAME}
    message = EmailMultiAlternatives(
        subject=f"Your {settings.PLATFORM_NAME} stores",
        body=render_to_string("public/emails/find_my_store.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[stores[0].owner_email],
    )
    message.attach_alternative(
        render_to_string("public/emails/find_my_store.html", context), "text/html"
    )
    message.send()
    return len(stores)
