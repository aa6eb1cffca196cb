"""The merchant's theme page in the store admin (apps/themes/admin.py)."""

from django_tenants.utils import schema_context

from apps.themes.builtin import BUILTIN_THEMES
from apps.themes.models import Theme

CHANGELIST = "/admin/themes/theme/"


def _login(client, store) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": store.owner_email, "password": store.password}
    )
    assert response.status_code == 302


def _form(**changes) -> dict:
    classic = BUILTIN_THEMES["classic"]
    data = {field: classic[field] for field in classic if field.startswith(("color_", "font_"))}
    return {**data, "name": "Classic", "layout": "classic", **changes}


def test_owner_creates_then_edits_the_theme_through_the_service(client_a, store_a):
    _login(client_a, store_a)
    # when: the first save creates the store's theme, the second changes it
    assert client_a.post(f"{CHANGELIST}add/", _form(name="Fernhill")).status_code == 302
    with schema_context(store_a.schema):
        theme = Theme.objects.get()
    response = client_a.post(
        f"{CHANGELIST}{theme.pk}/change/", _form(name="Fernhill", color_accent="#0B5E3B")
    )
    # then
    assert response.status_code == 302
    with schema_context(store_a.schema):
        theme = Theme.objects.get()
        assert (theme.name, theme.color_accent) == ("Fernhill", "#0b5e3b")
        assert theme.version == 2  # one bump per save: the storefront cache key moves on
    # and "add" now leads to the one theme
    response = client_a.get(f"{CHANGELIST}add/")
    assert (response.status_code, response["Location"]) == (302, f"{CHANGELIST}{theme.pk}/change/")


def test_unreadable_colours_are_refused_on_their_field(client_a, store_a):
    _login(client_a, store_a)
    response = client_a.post(
        f"{CHANGELIST}add/", _form(color_text="#f5f5f5", color_background="#ffffff")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["color_text"]
    assert "too hard to read" in errors["color_text"][0]
    with schema_context(store_a.schema):
        assert not Theme.objects.exists()


def test_switch_to_a_builtin_theme_action(client_a, store_a):
    _login(client_a, store_a)
    client_a.post(f"{CHANGELIST}add/", _form())
    with schema_context(store_a.schema):
        theme = Theme.objects.get()
    # when
    response = client_a.post(
        CHANGELIST, {"action": "apply_boutique", "_selected_action": [theme.pk]}
    )
    # then
    assert response.status_code == 302
    with schema_context(store_a.schema):
        theme = Theme.objects.get()
        assert (theme.layout, theme.color_accent) == (
            "boutique",
            BUILTIN_THEMES["boutique"]["color_accent"],
        )


def test_store_b_admin_never_sees_store_a_theme(client_a, client_b, store_a, store_b):
    _login(client_a, store_a)
    client_a.post(f"{CHANGELIST}add/", _form(name="Only A"))
    with schema_context(store_a.schema):
        a_theme_pk = Theme.objects.get().pk
    _login(client_b, store_b)
    # then: B's list is its own (empty), and A's theme id is not found on B
    assert b"Only A" not in client_b.get(CHANGELIST).content
    assert client_b.get(f"{CHANGELIST}{a_theme_pk}/change/").status_code == 404
    with schema_context(store_b.schema):
        assert not Theme.objects.exists()
