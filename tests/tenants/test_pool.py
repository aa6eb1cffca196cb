import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

from apps.core.exceptions import ApplicationError
from tenants import services
from tenants.models import Tenant

Strategy = services.ProvisionStrategy


def _pooled() -> list[str]:
    return sorted(
        Tenant.objects.filter(status=Tenant.Status.POOLED).values_list("schema_name", flat=True)
    )


def _provision(slug: str, **options):
    return services.store_provision(
        name=slug.title(),
        slug=slug,
        owner_email=f"owner@{slug}.test",
        owner_password="Long-enough-9!",
        **options,
    )


def _migration_rows(schema_name: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema_name}".django_migrations ORDER BY 1, 2')
        return cursor.fetchall()


def test_pool_fill_adds_ready_schemas_and_reports_progress(db, settings):
    # given
    settings.STORE_POOL_SIZE = 2
    seen = []
    # when
    added = services.pool_fill(progress=lambda done, todo: seen.append((done, todo)))
    # then
    assert added == 2
    assert seen == [(1, 2), (2, 2)]
    pooled = _pooled()
    assert len(pooled) == 2
    assert all(name.startswith("pool_") and schema_exists(name) for name in pooled)
    assert all(_migration_rows(name) == _migration_rows("store_template") for name in pooled)
    # and a full pool is left alone
    assert services.pool_fill() == 0
    assert _pooled() == pooled


def test_signup_takes_a_pool_schema_and_the_refill_task_tops_it_up(
    db, settings, django_capture_on_commit_callbacks
):
    # given: a full pool of two
    settings.STORE_POOL_SIZE = 2
    services.pool_fill()
    pooled_before = _pooled()
    oldest = Tenant.objects.filter(status=Tenant.Status.POOLED).order_by("created").first()
    # when: a signup commits (its on-commit callbacks captured, not yet run)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = _provision("from-pool")
    # then: the oldest ready schema was renamed for the store, and the pool shrank by one
    assert result.strategy is Strategy.POOL
    assert (result.tenant.pk, result.tenant.schema_name) == (oldest.pk, "store_from_pool")
    assert schema_exists("store_from_pool")
    assert not schema_exists(oldest.schema_name)
    assert _pooled() == [name for name in pooled_before if name != oldest.schema_name]
    # when: the callbacks run; the refill goes through the Celery task (eager in tests)
    for callback in callbacks:
        callback()
    # then: the pool is full again, with a fresh schema
    pooled_after = _pooled()
    assert len(pooled_after) == 2
    assert len(set(pooled_after) - set(pooled_before)) == 1


def test_refill_task_is_safe_to_run_twice(db, settings):
    from tenants.tasks import store_pool_refill

    settings.STORE_POOL_SIZE = 1
    # when
    first = store_pool_refill.apply_async(headers={"_schema_name": "public"}).get()
    second = store_pool_refill.apply_async(headers={"_schema_name": "public"}).get()
    # then
    assert (first, second) == (1, 0)
    assert len(_pooled()) == 1


def test_empty_pool_falls_back_to_cloning_and_says_so(db, settings, caplog):
    # given: the pool should hold schemas but holds none
    settings.STORE_POOL_SIZE = 2
    caplog.set_level(logging.INFO, logger="tenants.services")
    # when
    result = _provision("dry-spell")
    # then
    assert result.strategy is Strategy.CLONE
    assert schema_exists("store_dry_spell")
    warnings = [(r.name, r.getMessage()) for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        ("tenants.services.provisioning", "store pool empty: cloning the template for dry-spell")
    ]


def test_migrate_schemas_migrates_pool_schemas_with_the_fleet(db, settings):
    # given: a pool schema that is one migration behind (the sessions table never made it)
    settings.STORE_POOL_SIZE = 1
    services.pool_fill()
    [pool_schema] = _pooled()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {pool_schema}.django_session")
        cursor.execute(f"DELETE FROM {pool_schema}.django_migrations WHERE app = 'sessions'")
    assert ("sessions", "0001_initial") not in _migration_rows(pool_schema)
    # when: the deploy's migrate_schemas runs
    call_command("migrate_schemas", interactive=False, verbosity=0)
    connection.set_schema_to_public()
    # then: the pool schema is current again, like the template
    assert _migration_rows(pool_schema) == _migration_rows("store_template")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {pool_schema}.django_session")
        assert cursor.fetchone() == (0,)


def test_pool_drain_drops_every_ready_schema(db, settings):
    # given
    services.pool_fill(size=2)
    pooled = _pooled()
    # when
    dropped = services.pool_drain()
    # then
    assert dropped == 2
    assert _pooled() == []
    assert not any(schema_exists(name) for name in pooled)


def test_store_pool_command(db, settings, capsys):
    settings.STORE_POOL_SIZE = 1
    # when
    call_command("store_pool", "--fill")
    # then
    out = capsys.readouterr().out
    assert "  1/1 schema(s) ready (" in out
    assert "1 pool schema(s) added." in out
    assert "Pool: 1 ready of 1 wanted;" in out
    assert "template schema present." in out
    # when
    call_command("store_pool", "--drain")
    # then
    assert "1 pool schema(s) dropped." in capsys.readouterr().out
    assert _pooled() == []


@pytest.mark.parametrize("argv", [["--size", "3"], ["--drain", "--size", "3"]])
def test_store_pool_command_refuses_size_without_fill(db, argv):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--size goes with --fill"):
        call_command("store_pool", *argv)


def test_no_store_or_pool_schema_is_made_while_the_fleet_migrates(db, settings):
    # given: another process (a deploy's migrate_schemas) holds the fleet-migration lock
    from tenants import schemas
    from tests.tenants.concurrency import raw_connection

    settings.STORE_POOL_SIZE = 2
    with raw_connection() as deploy:
        deploy.execute("SELECT pg_advisory_lock(%s)", [schemas.FLEET_MIGRATION_LOCK])
        tenants_before = Tenant.objects.count()
        # when: a signup and a pool refill arrive meanwhile
        with pytest.raises(ApplicationError) as error:
            _provision("mid-deploy")
        added = services.pool_fill()
        # then: a clear "try again" for the signup, the refill left to the deploy, nothing made
        assert (error.value.code, error.value.status_code) == ("fleet_migrating", 503)
        assert added == 0
        assert Tenant.objects.count() == tenants_before
        assert not schema_exists("store_mid_deploy")
