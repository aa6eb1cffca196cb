"""Schema-level DDL behind provisioning: clone the template, rename a pool schema, migrate.

No business rules here (tenants.services decides *when*); only *how*, in SQL. Every function
runs on the caller's connection and inside the caller's transaction, so a failure later in
the same transaction undoes it (PostgreSQL DDL is transactional).
"""

import hashlib
import re

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.clone import CLONE_SCHEMA_FUNCTION
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_exists

# django-tenants re-installs its clone function on every clone: it drops and re-creates the
# `public.cloneparms` type and four functions each time. That is DDL on shared objects inside the
# signup transaction: it costs time, and concurrent clones queue behind each other's whole
# transaction. We install it once per version of the SQL (a digest kept in the function's
# comment) and only call it afterwards.
_CLONE_FUNCTION_DIGEST = hashlib.sha256(CLONE_SCHEMA_FUNCTION.encode()).hexdigest()[:16]
_CLONE_FUNCTION_MARK = f"pycommerce clone_schema {_CLONE_FUNCTION_DIGEST}"
# Any constant distinct from other advisory locks in the app: one installer at a time, and the
# others find the current version when they get the lock.
_CLONE_FUNCTION_LOCK = 7_301_001


def clone_function_ensure() -> bool:
    """Install django-tenants' `public.clone_schema()` unless the current version is there.

    Returns True when it had to install it.
    """
    if _clone_function_mark() == _CLONE_FUNCTION_MARK:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLONE_FUNCTION_LOCK])
        if _clone_function_mark() == _CLONE_FUNCTION_MARK:  # another process won the race
            return False
        db_user = settings.DATABASES["default"].get("USER") or "postgres"
        cursor.execute(CLONE_SCHEMA_FUNCTION.format(db_user=db_user))
        cursor.execute(
            "COMMENT ON FUNCTION public.clone_schema(text, text, public.cloneparms[]) IS %s",
            [_CLONE_FUNCTION_MARK],
        )
    return True


def _clone_function_mark() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT obj_description(p.oid, 'pg_proc')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.proname = 'clone_schema'
            """
        )
        row = cursor.fetchone()
    return row[0] if row else None


def schema_clone(*, source: str, target: str) -> None:
    """Copy `source` (structure, data, sequence positions) into a new schema `target`.

    The copy then gets back the two things the clone function changes (see
    tests/tenants/test_clone_equivalence.py): the names of unique constraints, which it lets
    PostgreSQL choose (`..._key` instead of Django's `..._uniq`, and a later migration that
    drops a constraint by name would fail on every cloned store), and the data type of
    identity sequences on integer columns, which it widens to bigint.
    """
    clone_function_ensure()
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.clone_schema(%s, %s, 'DATA')", [source, target])
    _constraint_names_restore(source=source, target=target)
    _sequence_types_restore(source=source, target=target)


_CONSTRAINTS = """
    SELECT t.relname, con.contype, pg_get_constraintdef(con.oid), con.conname
    FROM pg_constraint con
    JOIN pg_class t ON t.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = con.connamespace
    WHERE n.nspname = %s
"""
_SEQUENCE_TYPES = """
    SELECT s.relname, format_type(seq.seqtypid, NULL)
    FROM pg_class s
    JOIN pg_namespace n ON n.oid = s.relnamespace
    JOIN pg_sequence seq ON seq.seqrelid = s.oid
    WHERE n.nspname = %s
"""


def _constraint_names_restore(*, source: str, target: str) -> None:
    def by_definition(schema_name: str) -> dict[tuple[str, str, str], list[str]]:
        # Definitions that name their own schema (foreign keys) are compared without it.
        own_name = re.compile(rf'(?<![\w"])("?){re.escape(schema_name)}\1\.')
        found: dict[tuple[str, str, str], list[str]] = {}
        for table, kind, definition, name in _fetch(_CONSTRAINTS, schema_name):
            key = (table, kind, own_name.sub("", definition))
            found.setdefault(key, []).append(name)
        return found

    wanted = by_definition(source)
    renames = [
        (table, have[0], want[0])
        for (table, kind, definition), have in by_definition(target).items()
        if (want := wanted.get((table, kind, definition)))
        and len(have) == len(want) == 1
        and have[0] != want[0]
    ]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, current, name in renames:
            cursor.execute(
                f"ALTER TABLE {qn(target)}.{qn(table)} "
                f"RENAME CONSTRAINT {qn(current)} TO {qn(name)}"
            )


def _sequence_types_restore(*, source: str, target: str) -> None:
    wanted = dict(_fetch(_SEQUENCE_TYPES, source))
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for sequence, data_type in _fetch(_SEQUENCE_TYPES, target):
            if wanted.get(sequence, data_type) != data_type:
                # format_type() output is a type name PostgreSQL itself produced.
                cursor.execute(f"ALTER SEQUENCE {qn(target)}.{qn(sequence)} AS {wanted[sequence]}")


def _fetch(sql: str, *params: object) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def schema_rename(*, current: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER SCHEMA {quote_schema_name(current)} RENAME TO {quote_schema_name(new)}"
        )


def schema_create_by_migrations(schema_name: str) -> None:
    """Create `schema_name` and replay every tenant migration into it (slow: seconds)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_schema_name(schema_name)}")
    try:
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=schema_name,
            interactive=False,
            verbosity=0,
        )
    finally:
        connection.set_schema_to_public()


def schema_drop(schema_name: str) -> None:
    if schema_exists(schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {quote_schema_name(schema_name)} CASCADE")


def assert_public_schema() -> None:
    if connection.schema_name != get_public_schema_name():
        raise RuntimeError("Stores are provisioned from the public schema only.")
