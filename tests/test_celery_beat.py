"""Every periodic job names tasks the worker knows (a typo would only show in production)."""

from celery import current_app
from django.conf import settings


def test_every_beat_entry_and_fanned_out_task_is_registered():
    current_app.loader.import_default_modules()
    registered = set(current_app.tasks)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in registered, name
        per_store = entry.get("kwargs", {}).get("task")
        if per_store:
            assert per_store in registered, name
