"""The store admin at /admin/ on a store host: branded, and for that store's staff only."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import get_app_label, schema_context

from apps.accounts.models import User

ADMIN_LOGIN = "/admin/login/?next=/admin/"
STAFF_ONLY = (
    "Please enter the correct email address and password for a staff account. "
    "Note that both fields may be case-sensitive."
)


def _admin_login(client, email: str, password: str):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password})


def test_owner_gets_the_stores_own_admin(client_a, store_a):
    # when
    response = _admin_login(client_a, store_a.owner_email, store_a.password)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    index = client_a.get("/admin/")
    assert index.status_code == 200
    html = index.content.decode()
    assert '<div id="site-name"><a href="/admin/">Store STORE-A admin</a></div>' in html
    assert "<title>Manage Store STORE-A | Store STORE-A</title>" in html
    # only models whose tables live in a store's schema
    store_apps = {get_app_label(app) for app in settings.TENANT_APPS}
    shown = {app["app_label"] for app in index.context["app_list"]}
    assert "accounts" in shown
    assert shown <= store_apps


def test_login_page_is_branded(client_a):
    html = client_a.get(ADMIN_LOGIN).content.decode()
    assert '<div id="site-name"><a href="/admin/">Store STORE-A admin</a></div>' in html
    assert "Staff of <strong>Store STORE-A</strong> sign in here." in html


def test_staff_works_through_group_permissions(client_a, store_a):
    # given
    _admin_login(client_a, store_a.staff_email, store_a.password)
    # when
    changelist = client_a.get("/admin/accounts/user/")
    add = client_a.get("/admin/accounts/user/add/")
    # then: the "Staff" group grants view permissions only
    assert changelist.status_code == 200
    assert add.status_code == 403


def test_customer_is_refused_with_the_admin_error(client_a, store_a):
    response = _admin_login(client_a, store_a.customer_email, store_a.password)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STAFF_ONLY]
    assert client_a.get("/admin/").status_code == 302


def test_inactive_staff_is_refused(client_a, store_a):
    with schema_context(store_a.schema):
        User.objects.filter(email=store_a.staff_email).update(is_active=False)
    response = _admin_login(client_a, store_a.staff_email, store_a.password)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STAFF_ONLY]


def test_staff_who_may_edit_accounts_cannot_grant_access(client_a, store_a):
    # given: a staff member who may change accounts
    with schema_context(store_a.schema):
        staff = User.objects.get(email=store_a.staff_email)
        staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    _admin_login(client_a, store_a.staff_email, store_a.password)
    # when
    form = client_a.get(f"/admin/accounts/user/{staff.pk}/change/").context["adminform"].form
    # then
    assert {"role", "is_staff", "is_superuser", "groups", "user_permissions"}.isdisjoint(
        form.fields
    )


def test_owner_adds_a_staff_member_who_can_then_log_in(client_a, store_a):
    # given
    _admin_login(client_a, store_a.owner_email, store_a.password)
    with schema_context(store_a.schema):
        group = Group.objects.get(name="Staff")
    # when
    response = client_a.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.staff@store-a.test",
            "role": "staff",
            "is_staff": "on",
            "groups": [group.pk],
            "password1": "Fresh-Staff-Pass-5",
            "password2": "Fresh-Staff-Pass-5",
        },
    )
    # then
    assert response.status_code == 302
    with schema_context(store_a.schema):
        user = User.objects.get(email="new.staff@store-a.test")
        assert (user.role, user.is_staff, list(user.groups.all())) == ("staff", True, [group])
    client_a.post("/admin/logout/")
    response = _admin_login(client_a, "new.staff@store-a.test", "Fresh-Staff-Pass-5")
    assert response.status_code == 302
