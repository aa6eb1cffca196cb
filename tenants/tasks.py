from celery import shared_task

from tenants import services


@shared_task
def store_pool_refill() -> int:
    """Runs in the public schema: top the pool of ready store schemas back up."""
    return services.pool_fill()
