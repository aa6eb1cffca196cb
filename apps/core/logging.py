import logging

from django.db import connection


class StoreSchemaFilter(logging.Filter):
    """Adds `schema` to every log record, so a line always says which store it is about."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.schema = getattr(connection, "schema_name", None) or "-"
        return True
