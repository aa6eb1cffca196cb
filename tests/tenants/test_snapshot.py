"""The template snapshot: a clone replays the template's DDL read once from its own catalog, is
rebuilt when the template changes, and costs the same number of statements however many
stores exist."""

import logging
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tenants import services
from tenants.models import TemplateSnapshot
from tenants.snapshot import SnapshotError
from tests.tenants.schema_catalog import schema_shape

TEMPLATE = "store_template"


def _clone(schema_name: str) -> None:
    with transaction.atomic():
        services.template_clone_into(schema_name)


def _execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _rebuilds(caplog) -> list[tuple[int, str]]:
    return [
        (record.levelno, record.getMessage())
        for record in caplog.records
        if "template snapshot" in record.getMessage()
    ]


def test_clone_issues_the_same_statements_with_0_or_10_other_schemas(db):
    # given: a current snapshot, and a connection that has set its search_path already
    services.template_ensure()
    _execute("SELECT 1")

    def clone_statements(schema_name: str) -> list[str]:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            services.template_clone_into(schema_name)
        return [query["sql"].replace(schema_name, "<new>") for query in captured]

    # when: a clone with no other store schemas present (the test database has the template
    # and the two session stores), then with 10 more (each clone in this one transaction holds
    # ~100 relation locks until the rollback: more would strain PostgreSQL's shared lock table)
    alone = clone_statements("store_count_alone")
    for n in range(10):
        _clone(f"store_count_filler_{n}")
    crowded = clone_statements("store_count_crowded")
    # then: five statements both times, the same ones, none of them over other schemas:
    #   1. the template's digest (its pg_namespace row, then its own catalog rows by index)
    #   2. the template's migration rows (for the digest)
    #   3. the stored snapshot
    #   4. the current search_path (put back after the script)
    #   5. the script: CREATE SCHEMA, set search_path, the template's DDL, rows, sequences
    assert len(alone) == 5, alone
    assert crowded == alone
    assert crowded[4].startswith('CREATE SCHEMA "<new>";')


def test_snapshot_is_rebuilt_when_the_template_changes_by_hand(db, caplog):
    # given: a current snapshot
    services.template_ensure()
    before = TemplateSnapshot.objects.get(schema_name=TEMPLATE)
    # and a template changed outside migrations (inside this test's transaction), with every
    # kind of object the snapshot writes: a serial, an identity that is ALWAYS generated, a
    # stored generated column, a collation, defaults, a deferrable unique constraint, a
    # foreign key, a check that is NOT VALID, a partial index, and a row
    _execute(
        f"""CREATE TABLE {TEMPLATE}.gift_note (
            id integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
            serial_no serial NOT NULL,
            recipient_id bigint REFERENCES {TEMPLATE}.accounts_user (id)
                DEFERRABLE INITIALLY DEFERRED,
            body text COLLATE "C" NOT NULL DEFAULT 'Happy birthday!',
            body_length integer GENERATED ALWAYS AS (length(body)) STORED,
            code varchar(12) NOT NULL,
            CONSTRAINT gift_note_code_uniq UNIQUE (code) DEFERRABLE INITIALLY DEFERRED
        )""",
        f"ALTER TABLE {TEMPLATE}.gift_note ADD CONSTRAINT gift_note_short "
        "CHECK (length(body) < 500) NOT VALID",
        f"CREATE INDEX gift_note_open ON {TEMPLATE}.gift_note (code) WHERE recipient_id IS NULL",
        f"ALTER SEQUENCE {TEMPLATE}.gift_note_id_seq AS bigint",
        f"INSERT INTO {TEMPLATE}.gift_note (code) VALUES ('WELCOME')",
    )
    caplog.set_level(logging.INFO, logger="tenants.services")
    # when: a store is cloned (the pool is empty), without anyone calling template_ensure
    _clone("store_gifted")
    # then: the snapshot was found stale and rebuilt first, and said so
    assert _rebuilds(caplog) == [
        (
            logging.WARNING,
            f"template snapshot of {TEMPLATE} is stale (the template changed): rebuilding it",
        )
    ]
    after = TemplateSnapshot.objects.get(schema_name=TEMPLATE)
    assert after.digest != before.digest
    assert "gift_note" in after.sql
    # and the clone is the template, catalog for catalog, row for row, sequence for sequence
    template_shape = schema_shape(TEMPLATE)
    assert ("gift_note", "gift_note_short", "c") in [
        row[:3] for row in template_shape["constraints"]
    ]
    assert schema_shape("store_gifted") == template_shape
    _execute("SET search_path = store_gifted")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, serial_no, body, body_length, code FROM gift_note")
        assert cursor.fetchall() == [(100, 1, "Happy birthday!", 15, "WELCOME")]
        cursor.execute("INSERT INTO gift_note (code) VALUES ('SECOND') RETURNING id, serial_no")
        assert cursor.fetchone() == (105, 2)
    connection.set_schema_to_public()


def test_template_ensure_rebuilds_a_stale_snapshot_once(db, caplog):
    # given: a current snapshot, then a migration recorded in the template (as a data-only
    # migration would leave it: no structural change)
    services.template_ensure()
    before = TemplateSnapshot.objects.get(schema_name=TEMPLATE)
    _execute(
        f"INSERT INTO {TEMPLATE}.django_migrations (app, name, applied) "
        "VALUES ('accounts', '9999_data_only', now())"
    )
    caplog.set_level(logging.INFO, logger="tenants.services")
    # when
    services.template_ensure()
    services.template_ensure()
    # then: rebuilt by the first call only, at INFO (after migrations it is expected)
    assert _rebuilds(caplog) == [
        (
            logging.INFO,
            f"template snapshot of {TEMPLATE} is stale (the template changed): rebuilding it",
        )
    ]
    assert TemplateSnapshot.objects.get(schema_name=TEMPLATE).digest != before.digest


def test_a_missing_snapshot_is_built_by_the_first_clone(db, caplog):
    # given
    TemplateSnapshot.objects.all().delete()
    caplog.set_level(logging.INFO, logger="tenants.services")
    # when
    _clone("store_first_clone")
    # then
    assert _rebuilds(caplog) == [
        (logging.WARNING, f"template snapshot of {TEMPLATE} is missing: rebuilding it")
    ]
    assert TemplateSnapshot.objects.filter(schema_name=TEMPLATE).count() == 1


def test_snapshot_ddl_names_no_schema_only_the_template_as_the_source_of_copies(db):
    # when
    services.template_ensure()
    sql = TemplateSnapshot.objects.get(schema_name=TEMPLATE).sql
    # then: the template is named only where rows and sequence positions are read from it
    naming = [line for line in sql.splitlines() if re.search(rf'"?{TEMPLATE}"?\.', line)]
    assert naming
    assert all(
        line.startswith(("INSERT INTO ", "SELECT setval(")) and f' FROM "{TEMPLATE}".' in line
        for line in naming
    )
    assert "CREATE SCHEMA" not in sql
    assert "search_path" not in sql


def test_a_template_holding_what_a_snapshot_cannot_copy_is_refused(db):
    # given: a view in the template (the snapshot writes tables and sequences only)
    TemplateSnapshot.objects.all().delete()
    _execute(f"CREATE VIEW {TEMPLATE}.staff_only AS SELECT id FROM {TEMPLATE}.accounts_user")
    # when / then: an error that names it, never a clone that silently lacks it
    with pytest.raises(SnapshotError, match=rf"view {TEMPLATE}\.staff_only"):
        services.template_ensure()
