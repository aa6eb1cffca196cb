"""manage.py seed_demo: the demo store and operator account, idempotently."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.core import demo
from tenants.models import Domain, Tenant


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_store_and_the_operator(db):
    # when
    output = _seed()

    # then
    store = Tenant.objects.get(slug=demo.DEMO_STORE_SLUG)
    assert store.status == Tenant.Status.ACTIVE
    assert store.name == demo.DEMO_STORE_NAME
    assert Domain.objects.filter(tenant=store, domain="demo.localhost", is_primary=True).exists()
    with schema_context(store.schema_name):
        owner = authenticate(email=demo.DEMO_OWNER_EMAIL, password=demo.DEMO_OWNER_PASSWORD)
        assert owner is not None
        assert owner.role == User.Role.OWNER
        assert owner.is_staff
    operator = User.objects.get(email=demo.OPERATOR_EMAIL)  # public schema
    assert operator.is_superuser
    assert operator.check_password(demo.OPERATOR_PASSWORD)
    assert "created store on demo.localhost" in output
    assert "created operator superuser admin@example.com" in output
    assert "http://demo.localhost" in output
    assert demo.DEMO_OWNER_PASSWORD in output


def test_seed_demo_twice_changes_nothing_and_says_so(db):
    # given
    _seed()
    store = Tenant.objects.get(slug=demo.DEMO_STORE_SLUG)
    operator_password = User.objects.get(email=demo.OPERATOR_EMAIL).password

    # when
    output = _seed()

    # then
    assert "nothing changed" in output
    assert "created" not in output
    assert list(Tenant.objects.filter(slug=demo.DEMO_STORE_SLUG)) == [store]
    assert User.objects.filter(email=demo.OPERATOR_EMAIL).count() == 1
    assert User.objects.get(email=demo.OPERATOR_EMAIL).password == operator_password
    with schema_context(store.schema_name):
        assert User.objects.filter(email=demo.DEMO_OWNER_EMAIL).count() == 1
