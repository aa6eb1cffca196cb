"""Celery finds tasks in each app's tasks.py: the fleet fan-out lives in apps.core.fleet."""

from apps.core.fleet import fleet_fan_out

__all__ = ["fleet_fan_out"]
