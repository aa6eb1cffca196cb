"""The orders admin: the list (filters, search), an order's page, its actions through the
services, permissions and other stores."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django_tenants.utils import schema_context, tenant_context

from apps.accounts.models import User
from apps.orders.models import Order
from apps.payments import services
from apps.payments.models import Payment
from tests.catalog.admin.conftest import admin_login
from tests.orders.factories import order_make
from tests.payments.conftest import GOOD_CARD, methods_enable

ORDERS = "/admin/orders/order/"


@pytest.fixture
def owner_a(client_a, store_a):
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


@pytest.fixture
def viewer_a(client_a, store_a):
    """Store A's staff member with only the view permissions."""
    admin_login(client_a, store_a.staff_email, store_a.password)
    return client_a


@pytest.fixture
def shop_a(store_a):
    """Store A: a card order (paid, 25.00, a TEE and a MUG), a bank-transfer order awaiting
    its money (20.00) and an order with no payment yet."""
    with tenant_context(store_a.tenant):
        methods_enable()
        card = order_make(
            lines=[("TEE-1", 1, "10.00"), ("MUG-1", 1, "10.00")],
            shipping="5.00",
            email="card@example.com",
        )
        services.payment_start(order=card, provider_code="test", payment_data=GOOD_CARD)
        bank = order_make(lines=[("HAT-1", 2, "10.00")], email="bank@example.com")
        services.payment_start(order=bank, provider_code="manual")
        unpaid = order_make(lines=[("TEE-1", 1, "7.50")], email="later@example.com", tax="1.50")
        shop = {
            name: Order.objects.get(pk=order.pk)
            for name, order in (("card", card), ("bank", bank), ("unpaid", unpaid))
        }
        shop["bank_payment"] = bank.payments.get().pk
        return shop


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _rows(response) -> list[int]:
    return [order.number for order in response.context["cl"].result_list]


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_orders_newest_first(owner_a, shop_a):
    response = owner_a.get(ORDERS)
    assert response.status_code == 200
    assert _rows(response) == [shop_a[n].number for n in ("unpaid", "bank", "card")]
    page = response.content.decode()
    assert f"#{shop_a['card'].number}" in page
    assert "$25.00" in page
    assert "card@example.com" in page
    assert "Awaiting payment" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "paid"}, ["card"]),
        ({"payment_status__exact": "unpaid"}, ["unpaid", "bank"]),
        ({"q": "bank@example"}, ["bank"]),
        ({"q": "mug-1"}, ["card"]),
        ({"q": "TEE-1"}, ["unpaid", "card"]),
    ],
)
def test_filters_and_search(owner_a, shop_a, query, expected):
    response = owner_a.get(ORDERS, query)
    assert _rows(response) == [shop_a[name].number for name in expected]


def test_search_by_order_number(owner_a, shop_a):
    number = shop_a["bank"].number
    assert _rows(owner_a.get(ORDERS, {"q": f"#{number}"})) == [number]
    assert _rows(owner_a.get(ORDERS, {"q": str(number)})) == [number]


def test_orders_are_not_added_or_deleted_here(owner_a, shop_a):
    assert owner_a.get(f"{ORDERS}add/").status_code == 403
    assert owner_a.get(f"{ORDERS}{shop_a['card'].pk}/delete/").status_code == 403


# --- an order's page ----------------------------------------------------------------------


def test_the_order_page_shows_everything_about_the_order(viewer_a, shop_a):
    order = shop_a["card"]
    response = viewer_a.get(f"{ORDERS}{order.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        f"Order #{order.number}",
        "TEE-1",
        "MUG-1",
        "Subtotal",
        "$20.00",
        "Shipping (Standard)",
        "$25.00",
        "12 Analytical Row",
        "Ada Lovelace",
        "UNITED KINGDOM",
        "Card (test gateway) · $25.00 · Captured",
        "Visa ending 4242 authorised.",
        order.payments.get().provider_reference,
        "payment_authorized",
        "Payment of $25.00 received (Card (test gateway)).",
    ):
        assert text in page, text
    # view permission only: no action buttons
    assert "payment-actions" not in page
    assert "Cancel order" not in page


def test_the_tax_breakdown_is_shown(owner_a, shop_a):
    page = owner_a.get(f"{ORDERS}{shop_a['unpaid'].pk}/change/").content.decode()
    assert 'id="order-tax"' in page
    assert "VAT" in page
    assert "20.000%" in page


def test_the_owner_sees_the_actions_each_payment_allows(owner_a, shop_a):
    bank = shop_a["bank"]
    payment = bank.payments.get()
    page = owner_a.get(f"{ORDERS}{bank.pk}/change/").content.decode()
    base = f"{ORDERS}{bank.pk}/payments/{payment.pk}/"
    assert f"{base}mark-paid/" in page
    assert f"{base}void/" in page
    assert f"{base}refund/" not in page
    assert f"{ORDERS}{bank.pk}/cancel/" in page
    card = shop_a["card"]
    card_page = owner_a.get(f"{ORDERS}{card.pk}/change/").content.decode()
    assert f"{ORDERS}{card.pk}/payments/{card.payments.get().pk}/refund/" in card_page
    assert f"{ORDERS}{card.pk}/cancel/" not in card_page


# --- actions ------------------------------------------------------------------------------


def test_mark_as_paid(owner_a, shop_a, store_a):
    bank = shop_a["bank"]
    url = f"{ORDERS}{bank.pk}/payments/{bank.payments.get().pk}/mark-paid/"
    assert owner_a.get(url).status_code == 200
    # when
    response = owner_a.post(url, {"reference": "TRANSFER-42"})
    # then
    assert response.status_code == 302
    assert response.url == f"{ORDERS}{bank.pk}/change/"
    assert _messages(response) == ["Payment of $20.00 marked as paid; the order is paid."]
    with tenant_context(store_a.tenant):
        bank.refresh_from_db()
        assert (bank.status, bank.payment_status) == ("paid", "paid")
        event = bank.events.get(kind="paid")
        assert event.actor.email == store_a.owner_email


def test_refund_refusals_are_shown_on_the_amount_and_a_good_refund_goes_through(
    owner_a, shop_a, store_a
):
    card = shop_a["card"]
    url = f"{ORDERS}{card.pk}/payments/{card.payments.get().pk}/refund/"
    # when too much
    response = owner_a.post(url, {"amount": "99.00", "reason": ""})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["At most $25.00 can be refunded."]}
    # when
    response = owner_a.post(url, {"amount": "5.00", "reason": "Scratched mug"})
    # then
    assert response.status_code == 302
    assert _messages(response) == ["Refunded $5.00 (partially refunded)."]
    with tenant_context(store_a.tenant):
        payment = Payment.objects.get(order=card)
        assert (payment.refunded_amount, payment.order.payment_status) == (
            Decimal("5.00"),
            "partially_refunded",
        )
    # the rest, with the amount left empty
    response = owner_a.post(url, {"amount": "", "reason": ""})
    assert _messages(response)[-1] == "Refunded $20.00 (refunded)."


def test_cancel_order_voids_the_awaited_transfer(owner_a, shop_a, store_a):
    bank = shop_a["bank"]
    # when
    response = owner_a.post(f"{ORDERS}{bank.pk}/cancel/", {"reason": "Never paid"})
    # then
    assert response.status_code == 302
    assert _messages(response) == [f"Order #{bank.number} cancelled; its stock is back on sale."]
    with tenant_context(store_a.tenant):
        bank.refresh_from_db()
        assert bank.status == "cancelled"
        assert bank.payments.get().status == "voided"
        assert bank.events.get(kind="cancelled").message == "Never paid"


def test_a_paid_order_cannot_be_cancelled_and_says_why(owner_a, shop_a):
    card = shop_a["card"]
    response = owner_a.post(f"{ORDERS}{card.pk}/cancel/", {"reason": "Oops"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A paid order is cancelled by refunding it."
    ]


def test_changelist_actions_go_through_the_services(owner_a, shop_a, store_a):
    ids = [shop_a[name].pk for name in ("card", "bank", "unpaid")]
    # when
    response = owner_a.post(
        ORDERS, {"action": "mark_paid_selected", "_selected_action": ids}, follow=True
    )
    # then the transfer was marked paid; the others said why not
    messages = _messages(response)
    assert messages[0] == "1 order(s) marked as paid."
    assert sorted(messages[1:]) == sorted(
        [
            f"#{shop_a['card'].number}: it has no payment awaiting its money.",
            f"#{shop_a['unpaid'].number}: it has no payment awaiting its money.",
        ]
    )
    # when
    response = owner_a.post(
        ORDERS, {"action": "cancel_selected", "_selected_action": ids}, follow=True
    )
    messages = _messages(response)
    assert messages[0] == "1 order(s) cancelled."
    with tenant_context(store_a.tenant):
        statuses = dict(Order.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {ids[0]: "paid", ids[1]: "paid", ids[2]: "cancelled"}


# --- permissions and other stores ---------------------------------------------------------


def test_view_only_staff_cannot_act(viewer_a, shop_a, store_a):
    bank = shop_a["bank"]
    payment = bank.payments.get()
    for url in (
        f"{ORDERS}{bank.pk}/payments/{payment.pk}/mark-paid/",
        f"{ORDERS}{bank.pk}/payments/{payment.pk}/void/",
        f"{ORDERS}{bank.pk}/cancel/",
    ):
        assert viewer_a.post(url, {"reason": "x"}).status_code == 403, url
    with tenant_context(store_a.tenant):
        bank.refresh_from_db()
        assert (bank.status, bank.payments.get().status) == ("pending_payment", "pending")


def test_refunds_need_the_refund_permission(viewer_a, shop_a, store_a):
    card = shop_a["card"]
    url = f"{ORDERS}{card.pk}/payments/{card.payments.get().pk}/refund/"
    with schema_context(store_a.schema):
        User.objects.get(email=store_a.staff_email).user_permissions.add(
            Permission.objects.get(codename="change_payment")
        )
    assert viewer_a.post(url, {"amount": "1.00"}).status_code == 403
    with schema_context(store_a.schema):
        User.objects.get(email=store_a.staff_email).user_permissions.add(
            Permission.objects.get(codename="refund_payment")
        )
    assert viewer_a.post(url, {"amount": "1.00"}).status_code == 302


def test_a_payment_of_another_order_or_an_unknown_action_is_not_found(owner_a, shop_a):
    card, bank = shop_a["card"], shop_a["bank"]
    other = bank.payments.get().pk
    assert owner_a.get(f"{ORDERS}{card.pk}/payments/{other}/void/").status_code == 404
    assert owner_a.get(f"{ORDERS}{bank.pk}/payments/{other}/steal/").status_code == 404
    assert owner_a.get(f"{ORDERS}999999/change/").status_code == 404


def test_store_a_orders_do_not_exist_on_store_b(client_b, store_b, shop_a):
    admin_login(client_b, store_b.owner_email, store_b.password)
    bank = shop_a["bank"]
    assert _rows(client_b.get(ORDERS)) == []
    assert client_b.get(f"{ORDERS}{bank.pk}/change/").status_code == 404
    payment_url = f"{ORDERS}{bank.pk}/payments/{shop_a['bank_payment']}/mark-paid/"
    assert client_b.post(payment_url, {}).status_code == 404
    assert client_b.post(f"{ORDERS}{bank.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_store_b_accounts_cannot_sign_in_to_store_a(client_a, store_b, shop_a):
    response = client_a.post(
        "/admin/login/?next=/admin/",
        {"username": store_b.owner_email, "password": store_b.password},
    )
    assert response.status_code == 200  # the login form again
    assert client_a.get(ORDERS).status_code == 302
