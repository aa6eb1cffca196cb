"""The operator's admin on the public host: the store list, suspend, reactivate, delete."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from tenants import services
from tenants.models import Domain, Tenant

OPERATOR_PASSWORD = "Operator-Secret-42"
CHANGELIST = "/admin/tenants/tenant/"


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser(email="ops@pycommerce.test", password=OPERATOR_PASSWORD)


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    return client


@pytest.fixture
def staff_but_not_superuser_client(db) -> Client:
    user = User.objects.create_user(
        email="helper@pycommerce.test",
        password=OPERATOR_PASSWORD,
        role=User.Role.STAFF,
        is_staff=True,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _fresh_store(slug: str) -> Tenant:
    return services.store_provision(
        name=f"Shop {slug}",
        slug=slug,
        owner_email=f"owner@{slug}.test",
        owner_password=OPERATOR_PASSWORD,
        strategy=services.ProvisionStrategy.CLONE,
    ).tenant


def _run_action(client: Client, action: str, *stores: Tenant):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [store.pk for store in stores]}
    )


# --- the list -----------------------------------------------------------------------------


def test_store_list_shows_real_stores_with_their_columns(operator_client, store_a, store_b):
    # given: a pooled schema that must not be listed
    Tenant.objects.create(schema_name="pool_listtest", status=Tenant.Status.POOLED)
    # when
    response = operator_client.get(CHANGELIST)
    # then
    assert response.status_code == 200
    result_list = list(response.context["cl"].result_list)
    listed = {store.slug for store in result_list}
    assert {"store-a", "store-b"} <= listed
    assert listed == set(
        Tenant.objects.filter(status__in=["active", "suspended"]).values_list("slug", flat=True)
    )
    html = response.content.decode()
    for header in (
        "column-name",
        "column-slug",
        "column-status",
        "column-domain_list",
        "column-owner_email",
        "column-created",
        "column-plan",
        "column-size",
    ):
        assert header in html
    assert "store-a.localhost" in html
    assert store_b.owner_email in html
    assert "pool_listtest" not in html
    assert "store_template" not in html
    # sizes were measured: a cloned schema has tables, so more than zero bytes
    assert all(store.size_on_disk > 0 for store in result_list)


def test_store_list_costs_the_same_queries_whatever_the_number_of_stores(
    operator_client, store_a, store_b
):
    # given
    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert operator_client.get(CHANGELIST).status_code == 200
        return len(captured)

    with_two = queries_for_the_list()
    _fresh_store("third-shop")
    # when
    with_three = queries_for_the_list()
    # then: session, operator, count, full count, the page, its domains, the sizes
    assert with_three == with_two == 7


def test_domain_inline_is_on_the_store_page(operator_client, store_a):
    response = operator_client.get(f"{CHANGELIST}{store_a.tenant.pk}/change/")
    assert response.status_code == 200
    assert 'name="domains-0-domain"' in response.content.decode()
    assert 'value="store-a.localhost"' in response.content.decode()


def test_stores_cannot_be_added_by_a_bare_insert(operator_client):
    assert operator_client.get(f"{CHANGELIST}add/").status_code == 403


def test_operator_admin_lists_only_stores_and_operator_accounts(operator_client):
    response = operator_client.get("/admin/")
    assert response.status_code == 200
    registered = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert registered == {"Tenant", "User"}
    assert "Operator accounts" in response.content.decode()


# --- suspend / reactivate -----------------------------------------------------------------


def test_suspend_action_suspends_and_the_store_host_answers_503(operator_client, store_a, store_b):
    # when
    response = _run_action(operator_client, "suspend_stores", store_a.tenant)
    # then
    assert response.status_code == 302
    assert Tenant.objects.get(pk=store_a.tenant.pk).status == "suspended"
    assert Tenant.objects.get(pk=store_b.tenant.pk).status == "active"
    assert Client(HTTP_HOST=store_a.host).get("/").status_code == 503
    assert Client(HTTP_HOST=store_b.host).get("/").status_code == 200


def test_reactivate_action_reopens_a_suspended_store(operator_client, store_a):
    services.store_suspend(tenant=store_a.tenant)
    # when
    response = _run_action(operator_client, "reactivate_stores", store_a.tenant)
    # then
    assert response.status_code == 302
    assert Tenant.objects.get(pk=store_a.tenant.pk).status == "active"
    assert Client(HTTP_HOST=store_a.host).get("/").status_code == 200


def test_bulk_delete_is_not_offered(operator_client, store_a):
    response = operator_client.get(CHANGELIST)
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "suspend_stores", "reactivate_stores", "delete_store"]


# --- delete with typed confirmation -------------------------------------------------------


def test_delete_action_leads_to_the_typed_confirmation_page(operator_client):
    store = _fresh_store("doomed-shop")
    # when
    response = _run_action(operator_client, "delete_store", store)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{store.pk}/delete/"
    page = operator_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Type <code>doomed-shop</code> to confirm:" in html
    assert "store_doomed_shop" in html


def test_delete_refuses_a_wrong_confirmation_and_keeps_everything(operator_client):
    store = _fresh_store("doomed-shop")
    # when
    response = operator_client.post(
        f"{CHANGELIST}{store.pk}/delete/", {"confirmation": "doomed-shop-typo"}
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "confirmation": ["Type the store's address “doomed-shop” to confirm."]
    }
    assert Tenant.objects.filter(pk=store.pk).exists()
    assert schema_exists("store_doomed_shop")


def test_delete_with_the_typed_address_drops_the_store(operator_client, store_a):
    store = _fresh_store("doomed-shop")
    # when
    response = operator_client.post(
        f"{CHANGELIST}{store.pk}/delete/", {"confirmation": "doomed-shop"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert not Tenant.objects.filter(pk=store.pk).exists()
    assert not Domain.objects.filter(domain="doomed-shop.localhost").exists()
    assert not schema_exists("store_doomed_shop")
    assert Client(HTTP_HOST="doomed-shop.localhost").get("/").status_code == 404
    # the other stores are untouched
    assert schema_exists(store_a.schema)
    with schema_context(store_a.schema):
        assert User.objects.filter(email=store_a.owner_email).exists()


def test_delete_page_does_not_exist_for_the_template_schema(operator_client):
    template = Tenant.objects.get(status=Tenant.Status.TEMPLATE)
    response = operator_client.post(
        f"{CHANGELIST}{template.pk}/delete/", {"confirmation": template.schema_name}
    )
    assert response.status_code == 404
    assert schema_exists(template.schema_name)


# --- who may use it -----------------------------------------------------------------------


def test_a_staff_user_who_is_not_superuser_is_refused_everything(
    staff_but_not_superuser_client, store_a
):
    client = staff_but_not_superuser_client
    store = _fresh_store("safe-shop")
    # when / then: every page sends them to the login page, every action is refused
    for response in (
        client.get("/admin/"),
        client.get(CHANGELIST),
        _run_action(client, "suspend_stores", store_a.tenant),
        client.post(f"{CHANGELIST}{store.pk}/delete/", {"confirmation": "safe-shop"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Tenant.objects.get(pk=store_a.tenant.pk).status == "active"
    assert Tenant.objects.filter(pk=store.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(public_client, store_a):
    response = _run_action(public_client, "suspend_stores", store_a.tenant)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Tenant.objects.get(pk=store_a.tenant.pk).status == "active"


def test_a_store_owner_cannot_sign_in_to_the_operator_admin(public_client, store_a):
    # Store A's owner exists only in store A's schema, never in the public one.
    response = public_client.post(
        "/admin/login/?next=/admin/",
        {"username": store_a.owner_email, "password": store_a.password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in public_client.session


def test_the_fleet_is_not_in_a_store_owners_admin(client_a, store_a):
    # A store owner is a superuser of their own store's admin: the stores must not be there.
    login = client_a.post(
        "/admin/login/?next=/admin/",
        {"username": store_a.owner_email, "password": store_a.password},
    )
    assert login.status_code == 302
    assert client_a.get("/admin/").status_code == 200
    assert client_a.get("/admin/tenants/tenant/").status_code == 404
    assert client_a.get("/admin/tenants/tenant/1/delete/").status_code == 404


# --- editing a store's profile ------------------------------------------------------------


def _profile_form(store: Tenant, **changes) -> dict:
    data = {
        "name": store.name,
        "owner_email": store.owner_email,
        "plan": store.plan,
        "currency": store.currency,
        "language": store.language,
        "timezone": store.timezone,
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_operator_edits_a_store_profile_through_the_service(operator_client, store_a):
    # when
    response = operator_client.post(
        f"{CHANGELIST}{store_a.tenant.pk}/change/",
        _profile_form(
            store_a.tenant,
            name="  Store A Renamed ",
            owner_email="New.Owner@Store-A.test",
            currency="eur",
            language="de",
            timezone="Europe/Berlin",
        ),
    )
    # then: saved, normalised by the service
    assert response.status_code == 302
    store = Tenant.objects.get(pk=store_a.tenant.pk)
    assert (store.name, store.owner_email, store.currency, store.language, store.timezone) == (
        "Store A Renamed",
        "new.owner@store-a.test",
        "EUR",
        "de",
        "Europe/Berlin",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "E1R", "Use a three-letter ISO 4217 code, e.g. USD or EUR."),
        ("currency", "EURO", "Ensure this value has at most 3 characters (it has 4)."),
        ("timezone", "Mars/Olympus", "Use an IANA time zone name, e.g. Europe/Berlin."),
        ("name", "   ", "Give the store a name."),
    ],
)
def test_operator_store_edit_refuses_bad_values_on_the_field(
    operator_client, store_a, field, value, message
):
    # when
    response = operator_client.post(
        f"{CHANGELIST}{store_a.tenant.pk}/change/", _profile_form(store_a.tenant, **{field: value})
    )
    # then: the form comes back with the error on that field, and nothing changed
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [message]}
    store = Tenant.objects.get(pk=store_a.tenant.pk)
    assert (store.name, store.currency, store.timezone) == ("Store STORE-A", "USD", "UTC")


def test_store_update_service_refuses_the_template(db):
    template = Tenant.objects.get(status=Tenant.Status.TEMPLATE)
    profile = services.StoreProfile(
        name="X", owner_email="x@y.test", plan="free", currency="USD", language="en", timezone="UTC"
    )
    with pytest.raises(ApplicationError) as error:
        services.store_update(tenant=template, profile=profile)
    assert error.value.code == "invalid_status"
