"""Media storage whose paths carry the store's schema, so two stores' files never collide."""

from django.core.files.storage import FileSystemStorage
from django.db import connection


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
