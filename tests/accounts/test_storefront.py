"""Storefront account pages: register, log in, log out, reset a password, the account page;
all in the store's own look (theme, header, footer), never indexed, at a fixed query count."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.themes import services as theme_services
from tests.catalog import factories

NEW_PASSWORD = "Brand-New-Secret-77"


def test_home_links_to_the_account_pages(client_a):
    response = client_a.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Store STORE-A</h1>" in html
    assert 'href="/account/login/"' in html
    assert 'href="/account/register/"' in html


def test_register_opens_an_account_and_logs_in(client_a, store_a):
    # when
    response = client_a.post(
        "/account/register/",
        {"email": "ada@example.com", "password": NEW_PASSWORD, "first_name": "Ada"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    account = client_a.get("/account/").content.decode()
    assert '<div class="messages" role="status"><p>Welcome! Your account is ready.</p></div>' in (
        account
    )
    assert "<dd>ada@example.com</dd>" in account
    home = client_a.get("/").content.decode()
    assert "Signed in as ada@example.com" in home
    with schema_context(store_a.schema):
        assert User.objects.get(email="ada@example.com").role == "customer"


def test_register_form_is_labelled(client_a):
    html = client_a.get("/account/register/").content.decode()
    for field, label in [
        ("email", "Email address"),
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("password", "Password"),
    ]:
        assert re.search(rf'<label for="id_{field}">{label}', html), field


def test_register_error_is_tied_to_its_field(client_a, store_a):
    # when: the address already has an account here
    response = client_a.post(
        "/account/register/", {"email": store_a.customer_email, "password": NEW_PASSWORD}
    )
    # then
    assert response.status_code == 400
    html = response.content.decode()
    email_input = re.search(r"<input[^>]*id=\"id_email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert 'aria-describedby="id_email_error"' in email_input
    assert re.search(
        r'<ul class="errorlist" id="id_email_error"><li>An account with this email address '
        r"already exists",
        html,
    )


def test_register_weak_password_error_mentions_the_help_text(client_a):
    response = client_a.post(
        "/account/register/", {"email": "new@example.com", "password": "12345678"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    password_input = re.search(r"<input[^>]*id=\"id_password\"[^>]*>", html).group(0)
    assert 'aria-describedby="id_password_helptext id_password_error"' in password_input
    assert "This password is too common." in html


def test_customer_logs_in_and_out(client_a, store_a):
    # when
    response = client_a.post(
        "/account/login/", {"username": store_a.customer_email, "password": store_a.password}
    )
    # then
    assert response.status_code == 302
    assert "Signed in as customer@store-a.test" in client_a.get("/").content.decode()
    # when
    response = client_a.post("/account/logout/")
    # then
    assert response.status_code == 302
    assert "Log in" in client_a.get("/").content.decode()


def test_login_with_a_wrong_password_says_so(client_a, store_a):
    response = client_a.post(
        "/account/login/", {"username": store_a.customer_email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct email address and password." in response.content.decode()
    assert "_auth_user_id" not in client_a.session


def test_password_reset_journey(client_a, store_a, mailoutbox, django_capture_on_commit_callbacks):
    # given: the customer asks for a link
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/account/password-reset/", {"email": store_a.customer_email})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    # then: the email speaks in the store's name and links to the store's host
    [message] = mailoutbox
    assert message.subject == "Reset your password at Store STORE-A"
    assert message.to == [store_a.customer_email]
    assert "account at Store STORE-A (store-a.localhost)" in message.body
    link = re.search(
        r"http://store-a\.localhost(/account/password-reset/[^/]+/[^/]+/)", message.body
    )
    assert link is not None
    # when: they follow it and choose a new password
    response = client_a.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client_a.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/complete/"
    fresh = Client(HTTP_HOST=store_a.host)
    response = fresh.post(
        "/account/login/", {"username": store_a.customer_email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    # and the link works only once
    assert "This link no longer works" in client_a.get(link.group(1), follow=True).content.decode()


def test_password_reset_for_an_unknown_address_looks_the_same(
    client_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/account/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert mailoutbox == []


# --- the store's look --------------------------------------------------------------------
ACCOUNT_PAGES = [
    ("/account/login/", "Log in"),
    ("/account/register/", "Create an account"),
    ("/account/password-reset/", "Reset your password"),
    ("/account/password-reset/sent/", "Check your email"),
    ("/account/password-reset/complete/", "Password changed"),
]


def _log_in(client: Client, store) -> None:
    """Client.login works in the connection's current schema: the store's, here."""
    with schema_context(store.schema):
        assert client.login(username=store.customer_email, password=store.password)


@pytest.fixture
def boutique_a(store_a, django_capture_on_commit_callbacks):
    """Store A in the Boutique theme (not the default), with two categories."""
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        factories.category("Camping")
        factories.category("Clothing")
        theme_services.theme_apply_builtin(name="boutique")
    return store_a


def _assert_in_the_stores_look(html: str, *, title: str) -> None:
    # the theme: its colours as custom properties, its layout, the storefront's stylesheet
    assert '<body class="layout-boutique">' in html
    assert "--color-accent:#7a2e3a;" in html
    assert '<link rel="stylesheet" href="/static/storefront/storefront.css">' in html
    assert '<link rel="icon" href="/static/storefront/favicon.svg">' in html
    # the header (brand, search, categories) and the footer
    assert '<div class="wrap masthead">' in html
    assert '<a class="brand" href="/">Store STORE-A</a>' in html
    assert '<form class="search-form" role="search"' in html
    assert '<nav class="category-nav" aria-label="Categories">' in html
    assert '<li><a href="/categories/camping/">Camping</a></li>' in html
    assert '<footer class="site-footer">' in html
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    # titled like the storefront's pages, and never indexed; no canonical URL (some account
    # paths carry a one-time token)
    assert f"<title>{title} · Store STORE-A</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


@pytest.mark.parametrize(("path", "title"), ACCOUNT_PAGES)
def test_account_pages_wear_the_stores_look(client_a, boutique_a, path, title):
    response = client_a.get(path)
    assert response.status_code == 200
    _assert_in_the_stores_look(response.content.decode(), title=title)


def test_the_account_page_wears_the_stores_look(client_a, boutique_a):
    _log_in(client_a, boutique_a)
    response = client_a.get("/account/")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_in_the_stores_look(html, title="Your account")
    assert "<h1>Your account</h1>" in html
    assert "<dd>customer@store-a.test</dd>" in html
    # the header's account links lead here
    assert '<li><a href="/account/">Your account</a></li>' in html


def test_the_account_page_asks_a_visitor_to_log_in(client_a):
    response = client_a.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


def test_an_expired_reset_link_is_in_the_stores_look(client_a, boutique_a):
    response = client_a.get("/account/password-reset/MQ/not-a-token/")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_in_the_stores_look(html, title="This link no longer works")
    assert "<h1>This link no longer works</h1>" in html


def test_the_login_form_keeps_its_labels_and_csrf_token(client_a, boutique_a):
    html = client_a.get("/account/login/?next=/products/").content.decode()
    assert '<main id="main" tabindex="-1" class="wrap">' in html
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', html)
    assert '<label for="id_username">Email address</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert '<input type="hidden" name="next" value="/products/">' in html
    # the account pages' own stylesheet, built on the theme's custom properties
    assert '<link rel="stylesheet" href="/static/css/accounts.css">' in html


def test_a_login_error_shows_in_the_stores_look(client_a, boutique_a):
    response = client_a.post(
        "/account/login/", {"username": boutique_a.customer_email, "password": "wrong"}
    )
    html = response.content.decode()
    assert '<div class="form-errors" role="alert" id="form_errors">' in html
    _assert_in_the_stores_look(html, title="Log in")


def test_logging_out_leads_to_the_storefront(client_a, store_a):
    _log_in(client_a, store_a)
    response = client_a.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- one store's pages never show another's -------------------------------------------------
def test_account_pages_show_only_their_own_store(client_a, client_b, boutique_a):
    # given: store A has its theme and categories; when: store B's pages are visited
    for path, _ in ACCOUNT_PAGES:
        html = client_b.get(path).content.decode()
        # then: B's default theme, B's name, none of A's categories
        assert '<body class="layout-classic">' in html, path
        assert "#7a2e3a" not in html, path
        assert "Store STORE-B" in html, path
        assert "Store STORE-A" not in html, path
        assert "Camping" not in html, path


def test_a_store_a_session_opens_no_account_page_on_store_b(client_a, client_b, store_a):
    # given: a customer of store A, logged in there
    _log_in(client_a, store_a)
    assert client_a.get("/account/").status_code == 200
    # when: the same session cookie is sent to store B's host
    client_b.cookies = client_a.cookies
    response = client_b.get("/account/")
    # then: B knows no such session: log in, here
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"
    html = client_b.get("/account/login/").content.decode()
    assert "customer@store-a.test" not in html


# --- query counts ----------------------------------------------------------------------------
# Queries per page once the worker's host map and the theme snapshot are warm (both cached). A
# visitor without a session cookie loads no session: the category tree (header and footer) is
# the only query, however many categories the store has.
ANONYMOUS_QUERIES = [(path, 1) for path, _ in ACCOUNT_PAGES]


@pytest.mark.parametrize("categories", [1, 12])
@pytest.mark.parametrize(("path", "queries"), ANONYMOUS_QUERIES)
def test_account_page_query_count(
    client_a, store_a, categories, path, queries, django_assert_num_queries
):
    # given
    with schema_context(store_a.schema):
        for index in range(categories):
            factories.category(f"Category {index}")
    client_a.get(path)  # warms the host map and the theme snapshot
    # when / then
    with django_assert_num_queries(queries):
        response = client_a.get(path)
    assert response.status_code == 200


def test_the_account_page_query_count(client_a, store_a, django_assert_num_queries):
    # given: signed in (the session itself comes from the cache: cached_db)
    _log_in(client_a, store_a)
    client_a.get("/account/")
    # when / then: the signed-in user, the category tree, the latest orders, the addresses
    with django_assert_num_queries(4):
        response = client_a.get("/account/")
    assert response.status_code == 200


def test_an_expired_reset_link_query_count(client_a, store_a, django_assert_num_queries):
    path = "/account/password-reset/MQ/not-a-token/"
    client_a.get(path)
    # the user the link names (id 1), the category tree
    with django_assert_num_queries(2):
        response = client_a.get(path)
    assert "This link no longer works" in response.content.decode()
