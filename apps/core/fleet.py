"""Run a per-store task in every active store: the fan-out that periodic store work needs.

Celery beat sends from the public schema, where no store's tables are. `fleet_fan_out` (run
there) queues the named task once per active store with that store's schema in the message
headers (tenant-schemas-celery's `_schema_name`), so each run happens inside its store:

    CELERY_BEAT_SCHEDULE = {"x": {"task": "apps.core.fleet.fleet_fan_out",
                                  "kwargs": {"task": "apps.inventory.tasks.reservations_expire"},
                                  "schedule": 60.0}}

The per-store task takes only JSON arguments and must be safe to run twice (a store can get
two runs when beat and a slow worker overlap).
"""

import logging
from typing import Any

from celery import current_app, shared_task

from tenants.models import Tenant

logger = logging.getLogger(__name__)


def fleet_schemas() -> list[str]:
    """The schemas of the stores that are open (not suspended, not template or pool)."""
    return list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )


def fleet_queue(*, task: str, kwargs: dict[str, Any] | None = None) -> int:
    """Queue `task` (a registered task name) once per active store; how many were queued."""
    per_store = current_app.tasks[task]  # KeyError (NotRegistered) for an unknown name
    queued = 0
    for schema in fleet_schemas():
        try:
            per_store.apply_async(kwargs=kwargs or {}, headers={"_schema_name": schema})
        except Exception:
            # Only reachable when tasks run eagerly (no broker, e.g. `make run` without Redis):
            # one store's failure must not keep the others from their run.
            logger.exception("fleet: %s failed in %s", task, schema)
            continue
        queued += 1
    return queued


@shared_task
def fleet_fan_out(*, task: str, kwargs: dict[str, Any] | None = None) -> int:
    """Runs in the public schema (beat): queue `task` for every active store."""
    return fleet_queue(task=task, kwargs=kwargs)
