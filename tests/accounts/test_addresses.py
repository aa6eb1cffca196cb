"""The customer's account: their orders and their address book (apps.accounts.addresses),
as services and as pages; one customer never reaches another's, one store never another's."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import addresses as book
from apps.accounts.models import CustomerAddress, User
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from tests.checkout.conftest import CARD_DECLINED, order_placed, shop_build

HOME = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street_address_1": "12 Analytical Row",
    "city": "London",
    "postal_code": "sw1a 1aa",
    "country_code": "gb",
}
WORK = {**HOME, "street_address_1": "1 Engine House", "postal_code": "N1 9GU"}


def _customer(store) -> User:
    return User.objects.get(email=store.customer_email)


def _log_in(client: Client, store) -> None:
    with schema_context(store.schema):
        assert client.login(username=store.customer_email, password=store.password)


def _form(data: dict, **extra) -> dict:
    """As a browser posts the address page's form (the country from its select)."""
    data = {**data, "country_code": data["country_code"].upper()}
    return {**{f"address-{name}": value for name, value in data.items()}, **extra}


# --- the address book's rules ---------------------------------------------------------------


def test_an_address_is_validated_per_country_and_normalised(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        with pytest.raises(ApplicationFieldErrors) as refused:
            book.customer_address_create(
                customer=customer, data={**HOME, "city": "", "postal_code": "12345"}
            )
        assert {(e.field, e.code) for e in refused.value.errors} == {
            ("city", "required"),
            ("postal_code", "invalid"),
        }
        saved = book.customer_address_create(customer=customer, data=HOME)
        assert (saved.postal_code, saved.country_code) == ("SW1A 1AA", "GB")


def test_the_first_address_is_the_default_and_there_is_only_ever_one(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        home = book.customer_address_create(customer=customer, data=HOME)
        work = book.customer_address_create(customer=customer, data=WORK)
        assert (home.is_default, work.is_default) == (True, False)
        # when
        book.customer_address_default_set(saved=work)
        # then
        assert list(
            CustomerAddress.objects.filter(customer=customer, is_default=True).values_list(
                "street_address_1", flat=True
            )
        ) == ["1 Engine House"]
        # and the database refuses a second default whatever the code does
        with pytest.raises(IntegrityError), transaction.atomic():
            CustomerAddress.objects.filter(pk=home.pk).update(is_default=True)


def test_deleting_the_default_hands_the_role_on(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        home = book.customer_address_create(customer=customer, data=HOME)
        work = book.customer_address_create(customer=customer, data=WORK)
        book.customer_address_delete(saved=home)
        work.refresh_from_db()
        assert work.is_default
        book.customer_address_delete(saved=work)
        assert not CustomerAddress.objects.filter(customer=customer).exists()


def test_the_same_address_is_kept_once(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        first = book.customer_address_create(customer=customer, data=HOME)
        again = book.customer_address_create(
            customer=customer, data={**HOME, "postal_code": " SW1A  1aa ", "city": "London "}
        )
        assert again.pk == first.pk
        assert CustomerAddress.objects.filter(customer=customer).count() == 1


def test_an_address_book_has_a_size_limit(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        for number in range(book.MAX_ADDRESSES):
            book.customer_address_create(
                customer=customer, data={**HOME, "street_address_1": f"{number} Row"}
            )
        with pytest.raises(ApplicationError) as refused:
            book.customer_address_create(customer=customer, data=WORK)
        assert refused.value.code == "address_limit_reached"


def test_another_customers_address_is_not_found(store_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        other = User.objects.create_user(email="other@example.com", password="x")
        theirs = book.customer_address_create(customer=other, data=HOME)
        with pytest.raises(ApplicationError) as refused:
            book.customer_address_get(customer=customer, address_id=theirs.pk)
        assert refused.value.code == "address_not_found"


# --- the address pages ----------------------------------------------------------------------


def test_a_customer_adds_changes_and_deletes_addresses(client_a, store_a):
    _log_in(client_a, store_a)
    page = client_a.get("/account/addresses/new/").content.decode()
    assert '<label for="id_address-street_address_1">Street address</label>' in page
    # when: added
    response = client_a.post("/account/addresses/new/", _form(HOME))
    assert response["Location"] == "/account/addresses/"
    client_a.post("/account/addresses/new/", _form(WORK, is_default="on"))
    # then: listed, the new default first
    html = client_a.get("/account/addresses/").content.decode()
    assert html.index("1 Engine House") < html.index("12 Analytical Row")
    with schema_context(store_a.schema):
        home = CustomerAddress.objects.get(street_address_1="12 Analytical Row")
    # when: changed, made the default, then deleted
    changed = client_a.post(
        f"/account/addresses/{home.pk}/", _form({**HOME, "street_address_1": "13 Analytical Row"})
    )
    assert changed["Location"] == "/account/addresses/"
    client_a.post(f"/account/addresses/{home.pk}/default/")
    with schema_context(store_a.schema):
        home.refresh_from_db()
        assert (home.street_address_1, home.is_default) == ("13 Analytical Row", True)
    client_a.post(f"/account/addresses/{home.pk}/delete/")
    with schema_context(store_a.schema):
        assert list(CustomerAddress.objects.values_list("street_address_1", "is_default")) == [
            ("1 Engine House", True)
        ]


def test_address_errors_are_shown_on_their_fields(client_a, store_a):
    _log_in(client_a, store_a)
    response = client_a.post("/account/addresses/new/", _form({**HOME, "postal_code": "nope"}))
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input[^>]*id="id_address-postal_code"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_address-postal_code_error"' in field
    assert '<ul class="errorlist" id="id_address-postal_code_error"><li>Enter a valid postcode' in (
        html
    )
    with schema_context(store_a.schema):
        assert not CustomerAddress.objects.exists()


def test_another_customers_address_pages_answer_404(client_a, store_a):
    with schema_context(store_a.schema):
        other = User.objects.create_user(email="other@example.com", password="x")
        theirs = book.customer_address_create(customer=other, data=HOME)
    _log_in(client_a, store_a)
    assert client_a.get(f"/account/addresses/{theirs.pk}/").status_code == 404
    assert client_a.post(f"/account/addresses/{theirs.pk}/", _form(WORK)).status_code == 404
    assert client_a.post(f"/account/addresses/{theirs.pk}/default/").status_code == 404
    assert client_a.post(f"/account/addresses/{theirs.pk}/delete/").status_code == 404
    assert "12 Analytical Row" not in client_a.get("/account/addresses/").content.decode()
    with schema_context(store_a.schema):
        theirs.refresh_from_db()
        assert theirs.street_address_1 == "12 Analytical Row"


def test_another_stores_customer_does_not_reach_this_stores_addresses(
    client_a, client_b, store_a, store_b
):
    # given: store A's customer's address; store B's customer has the same user id
    with schema_context(store_a.schema):
        saved = book.customer_address_create(customer=_customer(store_a), data=HOME)
    _log_in(client_b, store_b)
    # then: store B's host knows no such address, and shows none of store A's
    assert client_b.get(f"/account/addresses/{saved.pk}/").status_code == 404
    assert client_b.post(f"/account/addresses/{saved.pk}/delete/").status_code == 404
    assert "12 Analytical Row" not in client_b.get("/account/").content.decode()
    # and store A's session cookie means nothing on store B's host
    _log_in(client_a, store_a)
    stray = Client(HTTP_HOST=store_b.host)
    stray.cookies = client_a.cookies
    response = stray.get("/account/addresses/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    with schema_context(store_a.schema):
        assert CustomerAddress.objects.filter(pk=saved.pk).exists()


def test_address_pages_need_a_signed_in_customer(client_a):
    for path in ("/account/addresses/", "/account/addresses/new/", "/account/orders/"):
        response = client_a.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/account/login/?next={path}"


# --- the customer's orders ------------------------------------------------------------------


@pytest.fixture
def shop_a(store_a):
    with schema_context(store_a.schema):
        return shop_build(stock=100)


def test_the_account_lists_the_customers_orders_and_addresses(client_a, store_a, shop_a):
    # given: two orders of this customer, one of another customer, one guest order
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        other = User.objects.create_user(email="other@example.com", password="x")
        book.customer_address_create(customer=customer, data=HOME)
    paid = order_placed(store_a, shop_a, customer=customer)
    unpaid = order_placed(store_a, shop_a, customer=customer, card=CARD_DECLINED)
    theirs = order_placed(store_a, shop_a, customer=other)
    guest = order_placed(store_a, shop_a)
    _log_in(client_a, store_a)
    # when
    html = client_a.get("/account/").content.decode()
    # then: theirs only, newest first, each linking to its token's page
    numbers = re.findall(r'href="/orders/[\w-]+/">Order #(\d+)</a>', html)
    assert numbers == [str(unpaid.number), str(paid.number)]
    assert f'href="/orders/{paid.token}/"' in html
    assert str(theirs.number) not in html
    assert str(guest.number) not in html
    assert "Awaiting payment" in html
    assert f"${paid.total}" in html
    assert "12 Analytical Row" in html
    assert "Default address" in html


def test_customer_b_does_not_see_customer_as_orders(client_a, store_a, shop_a):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        other = User.objects.create_user(email="other@example.com", password="Other-Pass-99!")
    mine = order_placed(store_a, shop_a, customer=customer)
    with schema_context(store_a.schema):
        assert client_a.login(username="other@example.com", password="Other-Pass-99!")
    for path in ("/account/", "/account/orders/"):
        html = client_a.get(path).content.decode()
        assert mine.token not in html
        assert f"#{mine.number}" not in html
    assert other.pk != customer.pk


def test_all_orders_are_paged(client_a, store_a, shop_a, settings):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
    orders = [order_placed(store_a, shop_a, customer=customer) for _ in range(7)]
    _log_in(client_a, store_a)
    home = client_a.get("/account/").content.decode()
    assert len(re.findall(r"Order #\d+</a>", home)) == 5
    assert 'href="/account/orders/"' in home
    every = client_a.get("/account/orders/").content.decode()
    assert re.findall(r"Order #(\d+)</a>", every) == [str(o.number) for o in reversed(orders)]


def test_the_account_page_query_count(client_a, store_a, shop_a, django_assert_num_queries):
    with schema_context(store_a.schema):
        customer = _customer(store_a)
        book.customer_address_create(customer=customer, data=HOME)
    for _ in range(3):
        order_placed(store_a, shop_a, customer=customer)
    _log_in(client_a, store_a)
    client_a.get("/account/")
    # the signed-in user, the category tree, the latest orders, the addresses
    with django_assert_num_queries(4):
        response = client_a.get("/account/")
    assert response.status_code == 200
