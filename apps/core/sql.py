"""INSERTs for the hot write paths, without the ORM's query compiler.

Placing an order writes a handful of rows; `Model.objects.create()` spends ~0.6 ms of Python per
row building its statement (the round trip itself is ~0.2 ms), which at checkout volumes is a
large share of the whole request. `rows_insert` writes model instances the way `bulk_create`
does (same column values: each field's `pre_save` and `get_db_prep_save`; no `save()`, no
signals) from a statement text built once per model and row count.
"""

from collections.abc import Sequence
from functools import lru_cache

from django.db import connection
from django.db.models import Field, Model


@lru_cache(maxsize=256)
def _columns(model: type[Model], with_pk: bool) -> tuple[Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if with_pk or not field.primary_key)


@lru_cache(maxsize=1024)
def _statement(model: type[Model], with_pk: bool, rows: int) -> str:
    fields = _columns(model, with_pk)
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}"
    )


def rows_insert(objs: Sequence[Model]) -> None:
    """INSERT `objs` (instances of one model, all with or all without a primary key) in one
    statement and give each its primary key, as bulk_create would."""
    if not objs:
        return
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    if any(type(obj) is not model or (obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("rows_insert takes instances of one model, all with a pk or none.")
    fields = _columns(model, with_pk)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(model, with_pk, len(objs)), params)
        keys = [row[0] for row in cursor.fetchall()]
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
