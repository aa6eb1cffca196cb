"""Media storage whose paths carry the store's schema, so two stores' files never collide; and
a transaction block that removes the files it stored when its rows never commit."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def current_schema_prefix() -> str:
    # Computed per call: a location cached at import time would say "public" forever.
    return connection.schema_name


class StoreFileSystemStorage(FileSystemStorage):
    def _prefixed(self, name: str) -> str:
        prefix = current_schema_prefix()
        if name.startswith(f"{prefix}/"):
            return name
        return f"{prefix}/{name}"

    def path(self, name: str) -> str:
        return super().path(self._prefixed(name))

    def url(self, name: str | None) -> str:
        return super().url(self._prefixed(name) if name else name)

    def generate_filename(self, filename: str) -> str:
        return self._prefixed(super().generate_filename(filename))


# The names stored inside the innermost atomic_with_files block of this thread or task.
_written: ContextVar[list[str] | None] = ContextVar("files_written", default=None)


def file_written(name: str) -> None:
    """Note a file just stored in default_storage: the enclosing atomic_with_files block deletes
    it if its transaction does not commit. Outside such a block this does nothing (the media
    sweep, apps.catalog.media_sweep, is then the only way an orphan goes)."""
    names = _written.get()
    if names is not None and name:
        names.append(name)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """`transaction.atomic()` for writes that also store files (a decorator or a `with`).

    A database rollback does not unsave a file. So if the block does not commit (an exception
    inside it, or its COMMIT failing), the files noted with file_written() inside it are
    deleted: no row can refer to them. A nested block hands its files to the enclosing block
    when it succeeds, so the outer failure removes them too. What cannot be seen from here: an
    enclosing plain transaction.atomic() that rolls back after this block succeeded; the
    periodic media sweep removes those files once they are old enough.
    """
    outer = _written.get()
    names: list[str] = []
    token = _written.set(names)
    committed = False

    def _mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            # Registered first, so it runs before any other on-commit callback: a callback
            # that fails after COMMIT must not make us delete the files of committed rows.
            transaction.on_commit(_mark_committed)
            yield
    except BaseException:
        if not committed:
            _delete_quietly(names)
        raise
    else:
        if outer is not None:
            outer.extend(names)
    finally:
        _written.reset(token)


def _delete_quietly(names: list[str]) -> None:
    # The original error is what the caller must see; a file we fail to delete here is an
    # orphan the media sweep removes later.
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("could not delete %s after a rollback", name)
