"""Periodic cart work, per store (beat, through apps.core.fleet; each run in its store's
schema, safe to run twice)."""

from celery import shared_task

from apps.cart import services


@shared_task
def carts_abandoned_delete() -> int:
    """Delete this store's guest carts untouched for 30 days; how many."""
    return services.carts_abandoned_delete()
