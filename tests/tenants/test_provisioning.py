import pytest
from django_tenants.utils import schema_context, schema_exists

from apps.core.exceptions import ApplicationError
from tenants import services
from tenants.models import Domain, Tenant


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
    # when
    with pytest.raises(ApplicationError) as error:
        services.store_provision(
            name="X", slug=slug, owner_email="x@example.com", owner_password="Long-enough-9!"
        )
    # then
    assert error.value.code == code
    assert error.value.field == "slug"
    assert Tenant.objects.count() == tenants_before


def test_provision_creates_store_domain_and_owner(db):
    # when
    result = services.store_provision(
        name="Fresh",
        slug="fresh",
        owner_email="Me@Fresh.test",
        owner_password="Long-enough-9!",
        strategy=services.ProvisionStrategy.CLONE,
    )
    # then
    tenant = result.tenant
    assert tenant.schema_name == "store_fresh"
    assert schema_exists("store_fresh")
    assert Domain.objects.get(tenant=tenant).domain == "fresh.localhost"
    with schema_context(tenant.schema_name):
        from apps.accounts.models import User

        owner = User.objects.get()
        assert (owner.email, owner.role, owner.is_staff) == ("me@fresh.test", "owner", True)


def test_failure_half_way_leaves_no_schema_or_domain(db):
    # given: an owner password the validators refuse is caught before anything is created;
    # force a failure *after* the schema exists instead: a duplicate domain row.
    Domain.objects.create(domain="half.localhost", tenant=Tenant.objects.get(status="template"))
    # when
    with pytest.raises(ApplicationError):
        services.store_provision(
            name="Half",
            slug="half",
            owner_email="h@half.test",
            owner_password="Long-enough-9!",
            strategy=services.ProvisionStrategy.CLONE,
        )
    # then
    assert not Tenant.objects.filter(slug="half").exists()
    assert not schema_exists("store_half")
