"""The operator's public site: pages, signup, the live address check, "find my store"."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tenants import operator, services
from tenants.models import Domain, Tenant

GOOD_PASSWORD = "Plenty-long-Secret-7"


def _signup(client: Client, **overrides) -> dict:
    data = {
        "name": "Tea Leaves",
        "slug": "tea-leaves",
        "email": "Founder@Tea.test",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


# --- pages --------------------------------------------------------------------------------


def test_landing_page_sells_the_product_and_links_to_signup(public_client):
    # when
    response = public_client.get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your store, on its own address, open a second after you sign up." in html
    assert 'href="/signup/"' in html
    assert 'href="/pricing/"' in html
    assert 'href="/static/css/public.css"' in html
    assert "lorem" not in html.lower()
    assert "<code>your-name.localhost</code>" in html


def test_landing_page_names_store_hosts_on_the_port_in_use(db):
    html = Client(HTTP_HOST="localhost:8000").get("/").content.decode()
    assert "<code>your-name.localhost:8000</code>" in html


def test_pricing_page_lists_the_three_plans_honestly(public_client):
    response = public_client.get("/pricing/")
    assert response.status_code == 200
    html = response.content.decode()
    for plan in ('id="plan-free"', 'id="plan-growth"', 'id="plan-scale"'):
        assert plan in html
    assert html.count("Not available yet.") == 2
    assert '<a href="/pricing/" aria-current="page">Pricing</a>' in html


def test_signup_form_labels_every_input_and_shows_the_address_suffix(public_client):
    response = public_client.get("/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    for field_id, label in [
        ("id_name", "Store name"),
        ("id_slug", "Store address"),
        ("id_email", "Your email"),
        ("id_password", "Password"),
    ]:
        assert f'<label for="{field_id}">{label}</label>' in html
    assert '<span class="address-input__suffix" id="slug-suffix">.localhost</span>' in html
    assert 'aria-live="polite"' in html
    assert 'data-slug-check-url="/signup/check-slug/"' in html


def test_public_pages_do_not_exist_on_a_store_host(client_a):
    for path in ("/pricing/", "/signup/", "/signup/check-slug/?slug=x", "/find-my-store/"):
        assert client_a.get(path).status_code == 404, path


# --- signup -------------------------------------------------------------------------------


def test_signup_creates_the_store_and_hands_over_to_its_host(public_client, db):
    # when
    response = public_client.post("/signup/", _signup(public_client))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("http://tea-leaves.localhost/accounts/handover/?token=")
    store = Tenant.objects.get(slug="tea-leaves")
    assert (store.name, store.status, store.owner_email, store.schema_name) == (
        "Tea Leaves",
        "active",
        "founder@tea.test",
        "store_tea_leaves",
    )
    assert list(Domain.objects.filter(tenant=store).values_list("domain", flat=True)) == [
        "tea-leaves.localhost"
    ]


def test_signup_keeps_the_port_the_visitor_used(db):
    client = Client(HTTP_HOST="localhost:8000")
    response = client.post("/signup/", _signup(client))
    assert response.status_code == 302
    assert response["Location"].startswith(
        "http://tea-leaves.localhost:8000/accounts/handover/?token="
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"slug": "admin"}, "slug", "“admin” is reserved. Please choose another address."),
        ({"slug": "store-a"}, "slug", "“store-a” is already taken. Please choose another address."),
        (
            {"slug": "Tea--Leaves"},
            "slug",
            "Use lower-case letters, digits and single hyphens; start and end with a letter or "
            "digit.",
        ),
        ({"password": "12345678"}, "password", None),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_signup_errors_appear_on_the_field_they_are_about(
    public_client, store_a, overrides, field, message
):
    tenants_before = Tenant.objects.count()
    # when
    response = public_client.post("/signup/", _signup(public_client, **overrides))
    # then
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    if message is not None:
        assert form.errors[field] == [message]
    assert Tenant.objects.count() == tenants_before
    assert 'aria-invalid="true"' in response.content.decode()


def test_signup_works_without_javascript_after_an_error(public_client, db):
    # given: a first attempt on a reserved address
    first = public_client.post("/signup/", _signup(public_client, slug="www"))
    assert first.status_code == 400
    assert 'value="www"' in first.content.decode()
    # when: the visitor fixes the address and submits again
    second = public_client.post("/signup/", _signup(public_client, slug="tea-leaves"))
    # then
    assert second.status_code == 302
    assert Tenant.objects.filter(slug="tea-leaves").exists()


# --- live address check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "Fresh-Shop",
            {
                "slug": "fresh-shop",
                "available": True,
                "code": None,
                "message": "fresh-shop.localhost is available.",
            },
        ),
        (
            "api",
            {
                "slug": "api",
                "available": False,
                "code": "slug_reserved",
                "message": "“api” is reserved. Please choose another address.",
            },
        ),
        (
            "store-b",
            {
                "slug": "store-b",
                "available": False,
                "code": "slug_taken",
                "message": "“store-b” is already taken. Please choose another address.",
            },
        ),
        (
            "ab",
            {
                "slug": "ab",
                "available": False,
                "code": "slug_invalid",
                "message": "The address must be 3 to 40 characters long.",
            },
        ),
    ],
)
def test_slug_check_answers_with_the_same_rules_as_signup(public_client, store_b, slug, expected):
    # when
    response = public_client.get("/signup/check-slug/", {"slug": slug})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == expected


def test_slug_check_reports_a_store_created_a_moment_ago(public_client, db):
    services.store_provision(
        name="Just Now",
        slug="just-now",
        owner_email="j@now.test",
        owner_password=GOOD_PASSWORD,
        strategy=services.ProvisionStrategy.CLONE,
    )
    response = public_client.get("/signup/check-slug/", {"slug": "just-now"})
    assert response.json()["code"] == "slug_taken"


# --- find my store ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_find_store_cooldown(store_a):
    # Redis outlives the test transaction: start and end without a cooldown in place.
    key = operator.find_store_cooldown_key(store_a.owner_email)
    cache.delete(key)
    yield
    cache.delete(key)


def test_find_my_store_answers_known_and_unknown_addresses_identically(public_client, store_a):
    # when
    known = public_client.post("/find-my-store/", {"email": store_a.owner_email})
    unknown = public_client.post("/find-my-store/", {"email": "nobody@nowhere.test"})
    # then
    assert (known.status_code, known["Location"]) == (302, "/find-my-store/sent/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/find-my-store/sent/")
    assert known.content == unknown.content
    sent_page = public_client.get("/find-my-store/sent/")
    assert sent_page.status_code == 200
    assert "Check your inbox" in sent_page.content.decode()
    assert store_a.tenant.name not in sent_page.content.decode()
    # one email: to the known address only
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [store_a.owner_email]


def test_find_my_store_email_lists_only_that_owners_stores(public_client, store_a, store_b):
    # given: a second store owned by store A's owner
    services.store_provision(
        name="Second Shop",
        slug="second-shop",
        owner_email=store_a.owner_email.upper(),
        owner_password=GOOD_PASSWORD,
        strategy=services.ProvisionStrategy.CLONE,
    )
    client = Client(HTTP_HOST="localhost:8000")
    # when
    client.post("/find-my-store/", {"email": f"  {store_a.owner_email.upper()} "})
    # then
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Your PyCommerce stores"
    assert "Storefront: http://store-a.localhost:8000/\n" in body
    assert "Admin:      http://store-a.localhost:8000/admin/\n" in body
    assert "Storefront: http://second-shop.localhost:8000/\n" in body
    assert "store-b" not in body
    html_body = mail.outbox[0].alternatives[0].content
    assert 'href="http://second-shop.localhost:8000/admin/"' in html_body


def test_find_my_store_rejects_a_malformed_address_on_the_field(public_client, db):
    response = public_client.post("/find-my-store/", {"email": "nope"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert mail.outbox == []


def test_find_my_store_sends_one_email_per_address_per_cooldown(public_client, store_a):
    # when: the form is sent three times in a row for the same owner
    responses = [
        public_client.post("/find-my-store/", {"email": store_a.owner_email}) for _ in range(3)
    ]
    # then: the same answer each time, but one email only
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, "/find-my-store/sent/")}
    assert len(mail.outbox) == 1
