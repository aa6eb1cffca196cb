from celery import shared_task

from tenants import operator, services


@shared_task
def store_pool_refill() -> int:
    """Runs in the public schema: top the pool of ready store schemas back up.

    Safe to run twice or concurrently: a second filler finds the pool lock taken (or the pool
    full) and returns 0.
    """
    return services.pool_fill()


@shared_task(name="tenants.store_links_email_send")
def store_links_email_task(*, email: str, scheme: str = "", port: str = "") -> int:
    """Runs in the public schema. Queued for every address, known or not, so the page answers
    in the same time either way."""
    return operator.store_links_email_send(email=email, scheme=scheme, port=port)
