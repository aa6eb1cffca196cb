"""Schema-level DDL behind provisioning: rename a pool schema, migrate, drop.

(Cloning the template is tenants.snapshot.)

No business rules here (tenants.services decides *when*); only *how*, in SQL. Every function
runs on the caller's connection and inside the caller's transaction, so a failure later in
the same transaction undoes it (PostgreSQL DDL is transactional).
"""

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_exists

# Held exclusively (session-level) by a whole-fleet migrate_schemas; taken shared by every
# transaction that creates or renames a store or pool schema. A schema made while the fleet
# migrates would be missing from that run's list and left unmigrated, and a rename during the
# run would make it fail on the old name.
FLEET_MIGRATION_LOCK = 7_301_003


def fleet_migration_lock_acquire() -> None:
    """For migrate_schemas: wait for schema-creating transactions in flight, then hold them off."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [FLEET_MIGRATION_LOCK])


def fleet_migration_lock_release() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [FLEET_MIGRATION_LOCK])


def fleet_migration_running() -> bool:
    """Take the shared side of the lock for the current transaction (call inside one); True
    when a fleet migration holds it, in which case no schema may be created now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [FLEET_MIGRATION_LOCK])
        return not cursor.fetchone()[0]


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
