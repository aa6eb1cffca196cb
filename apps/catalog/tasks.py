from datetime import timedelta

from celery import shared_task

from apps.catalog import media_sweep


@shared_task
def media_orphans_sweep(*, older_than_seconds: int | None = None) -> int:
    """Runs in one store's schema (the task carries it): delete that store's media files no
    row refers to, once older than the grace period (an hour unless given). Safe to run twice.

    Beat sends from the public schema, so a periodic run needs a fan-out that queues this task
    once per store with the store's schema (wired with the other per-store schedules)."""
    older_than = (
        media_sweep.GRACE_PERIOD
        if older_than_seconds is None
        else timedelta(seconds=older_than_seconds)
    )
    return len(media_sweep.media_orphans_delete(older_than=older_than).deleted)
