"""Storefront account pages: register, log in, log out, reset a password."""

import re

from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User

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
    assert response["Location"] == "/"
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
