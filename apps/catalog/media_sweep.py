"""The media sweep: files in the current store's media that no row refers to, deleted once old.

Why it is needed: a service that stores a file inside a transaction the *caller* holds cannot
see that caller roll back later (atomic_with_files covers only its own block), and a worker
killed between storing a file and committing leaves one too. Those files are referenced by
nothing, forever.

What it looks at: only the directories it knows the references of, below the current store's
prefix ("<schema>/"): the upload directory of every FileField of the store's models (found
from the models, so a new FileField is covered by itself) and the directories of
JSON_REFERENCES. A file elsewhere under the prefix is never touched: whoever put it there
may refer to it in a way this module cannot see. A file that stores its name anywhere but a
FileField must be added to JSON_REFERENCES (or a FileField), or the sweep would not know it.

Listing goes through storage.listdir, recursively, so it works on S3 as on disk.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, models, router
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from apps.catalog.images import THUMBNAIL_DIR
from apps.catalog.models import ProductImage
from apps.core.storage import current_schema_prefix

logger = logging.getLogger(__name__)

# Long enough that a file being stored by a running request or task (its row not committed
# yet: a big demo seed writes for minutes) is never taken for an orphan.
GRACE_PERIOD = timedelta(hours=1)

# Files referred to from a JSON object {key: storage name} rather than a FileField:
# (directory, model, JSON field).
JSON_REFERENCES: tuple[tuple[str, type[models.Model], str], ...] = (
    (THUMBNAIL_DIR, ProductImage, "thumbnails"),
)


@dataclass(frozen=True)
class SweepResult:
    deleted: list[str]
    kept_referenced: int
    kept_recent: int


def media_orphans_delete(
    *, older_than: timedelta = GRACE_PERIOD, storage: Storage | None = None
) -> SweepResult:
    """Delete the current store's media files that no row refers to and that were last
    written more than `older_than` ago. Safe to run twice or concurrently.

    Runs in a store's schema (tenant_context or a task that carries it); refused in public.
    """
    storage = storage or default_storage
    prefix = current_schema_prefix()
    if prefix == get_public_schema_name():
        raise RuntimeError("media_orphans_delete runs in a store's schema, not in public.")
    cutoff = timezone.now() - older_than
    # List first, read the references second: a row committed while we listed is seen.
    old, recent = [], 0
    for name in _files_listed(storage, [f"{prefix}/{d}/" for d in sorted(_swept_dirs())]):
        if storage.get_modified_time(name) < cutoff:
            old.append(name)
        else:
            recent += 1
    referenced = _referenced_names(prefix) if old else set()
    orphans = [name for name in old if name not in referenced]
    for name in orphans:
        storage.delete(name)
    if orphans:
        logger.info("media sweep: %d orphaned file(s) deleted", len(orphans))
    return SweepResult(deleted=orphans, kept_referenced=len(old) - len(orphans), kept_recent=recent)


def _store_file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every FileField (ImageField too) of the models whose tables the current schema has."""
    for model in apps.get_models():
        # The tenant router answers for the current schema: TENANT_APPS in a store's schema.
        if not router.allow_migrate_model(DEFAULT_DB_ALIAS, model):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.model is model:
                yield model, field


def _swept_dirs() -> set[str]:
    dirs = {directory.strip("/") for directory, _model, _field in JSON_REFERENCES}
    for _model, field in _store_file_fields():
        # A callable upload_to decides per file: its directory is unknown, so not swept.
        if isinstance(field.upload_to, str) and field.upload_to.strip("/"):
            # upload_to may hold strftime patterns ("photos/%Y/"): sweep what comes before.
            dirs.add(field.upload_to.split("%", 1)[0].strip("/"))
    return {directory for directory in dirs if directory}


def _files_listed(storage: Storage, directories: list[str]) -> Iterator[str]:
    """The storage names of every file below `directories` (each ending in "/")."""
    seen: set[str] = set()
    for top in directories:
        if any(top.startswith(done) for done in seen):
            continue  # a directory inside one already listed ("a/" then "a/b/")
        seen.add(top)
        yield from _walk(storage, top)


def _walk(storage: Storage, directory: str) -> Iterator[str]:
    try:
        subdirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return  # nothing stored there yet (object stores answer with empty lists instead)
    for name in files:
        yield f"{directory}{name}"
    for sub in subdirs:
        yield from _walk(storage, f"{directory}{sub}/")


def _referenced_names(prefix: str) -> set[str]:
    """Every storage name a row of this store refers to, as stored (with the store's prefix;
    a name saved without one means the same file under the prefix)."""

    def full(name: str) -> str:
        return name if name.startswith(f"{prefix}/") else f"{prefix}/{name}"

    names: set[str] = set()
    for model, field in _store_file_fields():
        rows = model._default_manager.exclude(**{field.attname: ""}).values_list(
            field.attname, flat=True
        )
        names.update(full(name) for name in rows.iterator() if name)
    for _directory, model, json_field in JSON_REFERENCES:
        for value in model._default_manager.values_list(json_field, flat=True).iterator():
            names.update(full(name) for name in (value or {}).values() if name)
    return names
