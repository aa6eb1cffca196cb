"""The orders API: staff read every order, customers their own, a guest one order by its
token; keyset pages with filters, fixed query counts, and nothing across stores."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.orders.models import Order
from tests.catalog.api.conftest import signed_in
from tests.orders.factories import order_make

URL = "/api/v1/orders/"


def _user(store, email: str) -> User:
    with schema_context(store.schema):
        return User.objects.get(email=email)


@pytest.fixture
def staff_a(store_a):
    """Store A's staff member: the shared fixture gives them every view permission."""
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def orders_a(store_a) -> dict[str, Order]:
    """Store A: three guest orders (one paid, one cancelled), two of its customer's."""
    customer = _user(store_a, store_a.customer_email)
    with schema_context(store_a.schema):
        made = {
            "guest": order_make(lines=[("TEE-1", 2, "10.00"), ("MUG-1", 1, "12.50")]),
            "paid": order_make(email="paid@example.com"),
            "cancelled": order_make(email="gone@example.com"),
            "mine": order_make(customer=customer, email=customer.email),
            "mine_paid": order_make(customer=customer, email=customer.email),
        }
        Order.objects.filter(pk=made["paid"].pk).update(status="paid", payment_status="paid")
        Order.objects.filter(pk=made["cancelled"].pk).update(status="cancelled")
        Order.objects.filter(pk=made["mine_paid"].pk).update(status="paid", payment_status="paid")
        for order in made.values():
            order.refresh_from_db()
    return made


def _numbers(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [order["number"] for order in response.json()["results"]]


def _walk(api, url: str) -> list[int]:
    numbers = []
    while url:
        response = api.get(url)
        numbers += _numbers(response)
        url = response.json()["next"]
    return numbers


def test_staff_list_every_order_newest_first_page_by_page(store_a, orders_a, staff_a):
    # when: pages of two
    numbers = _walk(staff_a, f"{URL}?limit=2")
    # then: all five, newest first, none twice
    newest_first = sorted(orders_a.values(), key=lambda o: (o.placed_at, o.pk), reverse=True)
    assert numbers == [order.number for order in newest_first]


def test_an_order_shows_its_frozen_lines_totals_and_addresses(store_a, orders_a, staff_a):
    order = orders_a["guest"]
    body = staff_a.get(f"{URL}{order.pk}/").json()
    assert body["number"] == order.number
    assert body["token"] == order.token
    assert (body["status"], body["payment_status"]) == ("pending_payment", "unpaid")
    assert (body["subtotal"], body["total"], body["currency"]) == (
        "32.50",
        "32.50",
        order.currency,
    )
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in body["lines"]] == [
        ("TEE-1", 2, "10.00"),
        ("MUG-1", 1, "12.50"),
    ]
    assert body["shipping_address"]["postal_code"] == "N1 9GU"
    assert body["shipping_method"] is None


def test_staff_filter_by_status_payment_status_and_updated_since(store_a, orders_a, staff_a):
    assert _numbers(staff_a.get(URL, {"status": "cancelled"})) == [orders_a["cancelled"].number]
    assert sorted(_numbers(staff_a.get(URL, {"payment_status": "paid"}))) == sorted(
        [orders_a["paid"].number, orders_a["mine_paid"].number]
    )
    # updated_since: changed at or after the time, oldest change first
    with schema_context(store_a.schema):
        later = timezone.now() + timedelta(hours=1)
        Order.objects.filter(pk=orders_a["guest"].pk).update(updated=later)
        Order.objects.filter(pk=orders_a["paid"].pk).update(updated=later + timedelta(seconds=1))
    since = (later - timedelta(minutes=1)).isoformat()
    assert _numbers(staff_a.get(URL, {"updated_since": since})) == [
        orders_a["guest"].number,
        orders_a["paid"].number,
    ]
    refused = staff_a.get(URL, {"status": "shipped"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "status"


def test_a_customer_sees_only_their_own_orders(store_a, orders_a):
    customer = signed_in(store_a, store_a.customer_email)
    assert sorted(_numbers(customer.get(URL))) == sorted(
        [orders_a["mine"].number, orders_a["mine_paid"].number]
    )
    assert customer.get(f"{URL}{orders_a['mine'].pk}/").status_code == 200
    assert customer.get(f"{URL}{orders_a['guest'].pk}/").status_code == 404


def test_staff_without_the_orders_permission_see_only_their_own(store_a, orders_a):
    with schema_context(store_a.schema):
        User.objects.create_user(
            email="packer@store-a.test",
            password=store_a.password,
            role=User.Role.STAFF,
            is_staff=True,
        )
    packer = signed_in(store_a, "packer@store-a.test")
    assert _numbers(packer.get(URL)) == []
    assert packer.get(f"{URL}{orders_a['guest'].pk}/").status_code == 404


def test_anonymous_callers_cannot_list_or_read_by_id(api_a, orders_a):
    assert api_a.get(URL).status_code == 401
    assert api_a.get(f"{URL}{orders_a['guest'].pk}/").status_code == 401


def test_a_guest_reads_an_order_by_its_token_only(api_a, orders_a):
    order = orders_a["guest"]
    response = api_a.get(f"{URL}by-token/{order.token}/")
    assert response.status_code == 200
    assert response.json()["number"] == order.number
    for token in ("nope", order.token[:-1], "x" * 200):
        assert api_a.get(f"{URL}by-token/{token}/").status_code == 404


def test_orders_are_read_in_a_fixed_number_of_queries(
    store_a, orders_a, staff_a, django_assert_num_queries
):
    staff_a.get(URL)  # the connection is on store A's schema from here
    customer = signed_in(store_a, store_a.customer_email)
    customer.get(URL)
    for limit in (1, 5):
        # The staff user (JWT), their permissions and their groups' permissions; the page;
        # its lines.
        with django_assert_num_queries(5):
            response = staff_a.get(URL, {"limit": limit})
        assert len(response.json()["results"]) == limit
    # The customer (JWT); their page; its lines.
    with django_assert_num_queries(3):
        assert len(customer.get(URL).json()["results"]) == 2
    with django_assert_num_queries(5):
        assert staff_a.get(f"{URL}{orders_a['guest'].pk}/").status_code == 200
    # The order by its token; its lines.
    guest = APIClient(HTTP_HOST=store_a.host)
    with django_assert_num_queries(2):
        assert guest.get(f"{URL}by-token/{orders_a['guest'].token}/").status_code == 200


# --- another store ---------------------------------------------------------------------------


def test_store_b_tokens_are_refused_on_store_a(api_a, store_b, orders_a):
    for email in (store_b.owner_email, store_b.staff_email, store_b.customer_email):
        token = signed_in(store_b, email)._credentials["HTTP_AUTHORIZATION"]
        api_a.credentials(HTTP_AUTHORIZATION=token)
        for url in (
            URL,
            f"{URL}{orders_a['guest'].pk}/",
            f"{URL}by-token/{orders_a['guest'].token}/",
        ):
            response = api_a.get(url)
            assert response.status_code == 401, (email, url)
            assert response.json()["errors"][0]["code"] == "token_wrong_store"


def test_store_a_ids_and_tokens_are_not_found_on_store_b(api_b, store_b, orders_a):
    # given: B has an order of its own (ids in each schema start at 1)
    with schema_context(store_b.schema):
        b_order = order_make(email="b@example.com")
    callers = [
        api_b,
        signed_in(store_b, store_b.owner_email),
        signed_in(store_b, store_b.staff_email),
        signed_in(store_b, store_b.customer_email),
    ]
    for caller in callers:
        for order in orders_a.values():
            assert caller.get(f"{URL}by-token/{order.token}/").status_code == 404
            by_id = caller.get(f"{URL}{order.pk}/")
            if caller is api_b:
                assert by_id.status_code == 401  # no one to show an order to
            elif order.pk != b_order.pk:  # (B's own order may share an A order's id)
                assert by_id.status_code == 404
    # B's staff list only B's order
    owner_b = callers[1]
    assert _numbers(owner_b.get(URL)) == [b_order.number]
    body = owner_b.get(f"{URL}{b_order.pk}/").content.decode()
    assert not any(order.token in body for order in orders_a.values())
