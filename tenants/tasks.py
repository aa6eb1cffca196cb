from celery import shared_task

from tenants import services


@shared_task
def store_pool_refill() -> int:
    """Runs in the public schema: top the pool of ready store schemas back up.

    Safe to run twice or concurrently: a second filler finds the pool lock taken (or the pool
    full) and returns 0.
    """
    return services.pool_fill()
