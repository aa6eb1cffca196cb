import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from tenants import services
from tenants.models import Domain, Tenant
from tests.tenants import concurrency

Strategy = services.ProvisionStrategy
PASSWORD = "Long-enough-9!"


def _provision(slug: str, **overrides):
    return services.store_provision(
        name=overrides.pop("name", slug.title()),
        slug=slug,
        owner_email=overrides.pop("owner_email", f"owner@{slug}.test"),
        owner_password=overrides.pop("owner_password", PASSWORD),
        **overrides,
    )


def _nothing_left_of(slug: str) -> None:
    schema_name = services.schema_name_for_slug(slug)
    assert not schema_exists(schema_name)
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Tenant.objects.filter(schema_name=schema_name).exists()
    assert not Domain.objects.filter(domain=f"{slug}.localhost").exists()


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("ab", "slug_invalid"),
        ("a" * 41, "slug_invalid"),
        ("-acme", "slug_invalid"),
        ("acme-", "slug_invalid"),
        ("ac--me", "slug_invalid"),
        ("ac_me", "slug_invalid"),
        ("acmé", "slug_invalid"),
        ("www", "slug_reserved"),
        ("admin", "slug_reserved"),
        ("template", "slug_reserved"),
        ("store-a", "slug_taken"),
    ],
)
def test_bad_slugs_are_refused_and_leave_nothing(store_a, slug, code):
    tenants_before = Tenant.objects.count()
    domains_before = Domain.objects.count()
    # when
    with pytest.raises(ApplicationError) as error:
        _provision(slug, name="X", owner_email="x@example.com")
    # then
    assert error.value.code == code
    assert error.value.field == "slug"
    assert Tenant.objects.count() == tenants_before
    assert Domain.objects.count() == domains_before


def test_provision_creates_store_domain_and_owner(db):
    # when
    result = _provision("fresh", name="Fresh", owner_email="Me@Fresh.test", strategy=Strategy.CLONE)
    # then
    tenant = result.tenant
    assert result.strategy is Strategy.CLONE
    assert (tenant.schema_name, tenant.slug, tenant.status) == ("store_fresh", "fresh", "active")
    assert schema_exists("store_fresh")
    assert Domain.objects.get(tenant=tenant).domain == "fresh.localhost"
    with schema_context(tenant.schema_name):
        owner = User.objects.get()
        assert (owner.pk, owner.email, owner.role, owner.is_staff, owner.is_superuser) == (
            result.owner_id,
            "me@fresh.test",
            "owner",
            True,
            True,
        )
        assert owner.check_password(PASSWORD)
    # the owner lives in the store only, never in the public schema
    assert not User.objects.filter(email="me@fresh.test").exists()


@pytest.mark.parametrize("strategy", [Strategy.CLONE, Strategy.POOL])
def test_failure_half_way_leaves_no_schema_domain_or_account(db, strategy):
    # given: the schema the store will get refuses this owner's address, by a CHECK constraint
    # on its accounts table: a real database error, raised only once the schema, the Tenant
    # row and the Domain already exist (the owner is the last thing written)
    if strategy is Strategy.POOL:
        services.pool_fill(size=1)
        source = Tenant.objects.get(status=Tenant.Status.POOLED).schema_name
    else:
        source = "store_template"
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {source}.accounts_user ADD CONSTRAINT refuse_half "
            "CHECK (email NOT LIKE '%@half.test')"
        )
    # when
    with pytest.raises(IntegrityError, match="refuse_half"):
        _provision("half", owner_email="owner@half.test", strategy=strategy)
    # then: no schema, no Tenant, no Domain, and the account went with the schema
    _nothing_left_of("half")
    assert not User.objects.filter(email="owner@half.test").exists()
    if strategy is Strategy.POOL:
        # the pool schema was renamed back: it is still ready, under its own name
        assert Tenant.objects.get(status=Tenant.Status.POOLED).schema_name == source
        assert schema_exists(source)


@pytest.mark.parametrize("strategy", [Strategy.CLONE, Strategy.POOL])
def test_two_concurrent_signups_for_one_slug_make_one_store(db, strategy):
    """Both signups pass the "is it free?" check before either commits; the database decides."""
    concurrency.committed(_race_cleanup)
    try:
        # given: (for the pool) two committed ready schemas, one for each signup
        if strategy is Strategy.POOL:
            concurrency.committed(services.pool_fill, size=2)
        pooled_before = set(
            Tenant.objects.filter(status=Tenant.Status.POOLED).values_list("schema_name", flat=True)
        )
        # and a session that holds writes to the store table back, so that both signups are
        # inside their transactions, past every check, when it lets go
        blocker = concurrency.raw_connection()
        blocker.execute("LOCK TABLE public.tenants_tenant IN SHARE ROW EXCLUSIVE MODE")
        signups = [
            concurrency.start(
                services.store_provision,
                name=f"Race {n}",
                slug="race",
                owner_email=f"owner{n}@race.test",
                owner_password=PASSWORD,
                strategy=strategy,
            )
            for n in (1, 2)
        ]
        concurrency.wait_for_lock_waiters(blocker, count=2)
        # when
        blocker.rollback()
        blocker.close()
        for signup in signups:
            signup.join()
        # then: one store, and one clear slug_taken error
        winners = [s for s in signups if s.error is None]
        losers = [s for s in signups if s.error is not None]
        assert (len(winners), len(losers)) == (1, 1)
        error = losers[0].error
        assert isinstance(error, ApplicationError), repr(error)
        assert (error.code, error.field) == ("slug_taken", "slug")
        tenant = Tenant.objects.get(slug="race")
        assert tenant.schema_name == "store_race"
        assert winners[0].value.tenant.pk == tenant.pk
        assert list(
            Domain.objects.filter(domain="race.localhost").values_list("tenant", flat=True)
        ) == [tenant.pk]
        # (read on a connection of its own: a lock held by this test's transaction on the
        # store's tables would keep the cleanup's DROP SCHEMA waiting)
        assert concurrency.committed(_store_emails, schema_name="store_race") == [
            tenant.owner_email
        ]
        if strategy is Strategy.POOL:
            # the loser's pool schema went back to the pool, under its own name
            pooled_after = set(
                Tenant.objects.filter(status=Tenant.Status.POOLED).values_list(
                    "schema_name", flat=True
                )
            )
            assert len(pooled_after) == 1
            assert pooled_after < pooled_before
            assert all(schema_exists(name) for name in pooled_after)
    finally:
        concurrency.committed(_race_cleanup)


def _store_emails(*, schema_name: str) -> list[str]:
    with schema_context(schema_name):
        return list(User.objects.values_list("email", flat=True))


def _race_cleanup() -> None:
    for tenant in Tenant.objects.filter(slug="race"):
        services.store_delete(tenant=tenant, confirmation="race")
    services.pool_drain()


@pytest.mark.parametrize("strategy", [Strategy.AUTO, Strategy.CLONE])
def test_missing_template_is_an_error_never_a_fallback_to_migrations(db, strategy):
    # given: an empty pool and no template schema (dropped inside this test's transaction;
    # PostgreSQL DDL is transactional, so it comes back when the test rolls back)
    assert not Tenant.objects.filter(status=Tenant.Status.POOLED).exists()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA store_template CASCADE")
    # when
    with pytest.raises(ApplicationError) as error:
        _provision("orphan", strategy=strategy)
    # then: a clear error, and no schema built the slow way behind our back
    assert (error.value.code, error.value.status_code) == ("template_missing", 503)
    assert "store_template" in error.value.message
    _nothing_left_of("orphan")


def test_pool_strategy_with_an_empty_pool_is_refused(db):
    # when
    with pytest.raises(ApplicationError) as error:
        _provision("no-pool", strategy=Strategy.POOL)
    # then
    assert (error.value.code, error.value.status_code) == ("pool_empty", 503)
    _nothing_left_of("no-pool")


def test_create_store_command_uses_the_service(db, capsys):
    # when
    call_command(
        "create_store",
        name="Cmd Shop",
        slug="cmd-shop",
        owner_email="boss@cmd.test",
        owner_password=PASSWORD,
        strategy="clone",
    )
    # then
    tenant = Tenant.objects.get(slug="cmd-shop")
    assert (tenant.name, tenant.schema_name, tenant.owner_email) == (
        "Cmd Shop",
        "store_cmd_shop",
        "boss@cmd.test",
    )
    assert (
        "http://cmd-shop.localhost/ (schema store_cmd_shop, from clone)" in capsys.readouterr().out
    )


def test_create_store_command_reports_errors_with_their_code(store_a):
    with pytest.raises(CommandError, match=r"already taken.*\(slug\) \[slug_taken\]"):
        call_command(
            "create_store",
            name="Again",
            slug="store-a",
            owner_email="x@example.com",
            owner_password=PASSWORD,
        )
