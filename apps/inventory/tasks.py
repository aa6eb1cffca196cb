"""Periodic inventory work, per store. Beat reaches every store through
apps.core.fleet.fleet_fan_out (see CELERY_BEAT_SCHEDULE); each run is inside its store's
schema (tenant-schemas-celery) and safe to run twice."""

from celery import shared_task

# The fan-out task lives in apps.core, which has no tasks module for autodiscovery to import:
# importing it here registers it with every worker that runs the inventory's tasks.
from apps.core import fleet  # noqa: F401
from apps.inventory import services
from apps.inventory.services.notifications import SEND_FROM_HOUR


@shared_task
def reservations_expire() -> int:
    """Release this store's expired reservations; how many."""
    return services.reservations_expire()


@shared_task
def low_stock_email(*, from_hour: int = SEND_FROM_HOUR) -> int:
    """Email this store's staff the low-stock list (at most once a day, not before `from_hour`
    in the store's time zone); how many emails."""
    return services.low_stock_email_send(from_hour=from_hour)
