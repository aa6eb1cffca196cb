"""The payments API: public payment methods, staff payments with permissioned actions, webhooks
in, the one error shape, and other stores' tokens, ids and hosts."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.payments import services
from apps.payments.models import Payment, WebhookEvent
from apps.payments.providers.testgateway import webhook_body, webhook_headers
from tests.catalog.api.conftest import signed_in
from tests.orders.factories import order_make
from tests.payments.conftest import BANK_DETAILS, GOOD_CARD, WEBHOOK_SECRET, methods_enable

METHODS = "/api/v1/payment-methods/"
PAYMENTS = "/api/v1/payments/"
WEBHOOK = "/api/v1/payments/webhooks/test/"


def _error(code: str, detail: str, attr: str | None = None, type_: str = "client_error"):
    return {"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def _grant(store, email: str, *codenames: str) -> None:
    with schema_context(store.schema):
        User.objects.get(email=email).user_permissions.add(
            *Permission.objects.filter(content_type__app_label="payments", codename__in=codenames)
        )


@pytest.fixture
def owner_a(store_a):
    return signed_in(store_a, store_a.owner_email)


@pytest.fixture
def viewer_a(store_a):
    """Store A's staff member with only the view permissions."""
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def owner_b(store_b):
    return signed_in(store_b, store_b.owner_email)


@pytest.fixture
def paid_a(store_a):
    """Store A: a card payment of 25.00, captured, and a bank transfer awaited (20.00)."""
    with tenant_context(store_a.tenant):
        methods_enable()
        card = services.payment_start(
            order=order_make(shipping="5.00"), provider_code="test", payment_data=GOOD_CARD
        ).payment
        manual = services.payment_start(order=order_make(), provider_code="manual").payment
    return card, manual


# --- payment methods ----------------------------------------------------------------------


def test_anyone_sees_the_stores_payment_methods(api_a, api_b, store_a):
    with tenant_context(store_a.tenant):
        methods_enable()
    response = api_a.get(METHODS)
    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "results": [
            {"code": "test", "name": "Card (test gateway)", "instructions": "", "needs_card": True},
            {
                "code": "manual",
                "name": "Bank transfer",
                "instructions": BANK_DETAILS,
                "needs_card": False,
            },
        ],
    }
    # store B switched nothing on: store A's methods are not B's
    assert api_b.get(METHODS).json() == {"next": None, "results": []}


# --- staff: payments ----------------------------------------------------------------------


def test_staff_list_and_filter_payments(viewer_a, paid_a):
    card, manual = paid_a
    # when
    page = viewer_a.get(PAYMENTS)
    # then newest first, with transactions
    assert page.status_code == 200
    rows = page.json()["results"]
    assert [row["id"] for row in rows] == [manual.pk, card.pk]
    assert rows[1]["status"] == "captured"
    assert rows[1]["amount"] == "25.00"
    assert rows[1]["order_number"] == card.order.number
    assert [t["kind"] for t in rows[1]["transactions"]] == ["authorize", "capture"]
    assert "raw" not in rows[1]["transactions"][0]
    # filtered by order and by status
    by_order = viewer_a.get(PAYMENTS, {"order": card.order_id}).json()["results"]
    assert [row["id"] for row in by_order] == [card.pk]
    pending = viewer_a.get(PAYMENTS, {"status": "pending"}).json()["results"]
    assert [row["id"] for row in pending] == [manual.pk]
    assert viewer_a.get(f"{PAYMENTS}{card.pk}/").json()["refundable_amount"] == "25.00"


def test_payments_are_for_staff_only(api_a, store_a, paid_a):
    assert api_a.get(PAYMENTS).status_code == 401
    customer = signed_in(store_a, store_a.customer_email)
    assert customer.get(PAYMENTS).status_code == 403
    assert customer.get(METHODS).status_code == 200


def test_actions_need_their_permission(viewer_a, store_a, paid_a):
    card, manual = paid_a
    # view only: no action
    assert viewer_a.post(f"{PAYMENTS}{manual.pk}/mark-paid/", {}).status_code == 403
    # may take payments, but refunding is its own permission
    _grant(store_a, store_a.staff_email, "change_payment")
    cashier = signed_in(store_a, store_a.staff_email)
    response = cashier.post(f"{PAYMENTS}{manual.pk}/mark-paid/", {"reference": "BANK-1"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["provider_reference"]) == (
        "captured",
        "BANK-1",
    )
    assert cashier.post(f"{PAYMENTS}{card.pk}/refund/", {"amount": "1.00"}).status_code == 403
    _grant(store_a, store_a.staff_email, "refund_payment")
    refunder = signed_in(store_a, store_a.staff_email)
    assert refunder.post(f"{PAYMENTS}{card.pk}/refund/", {"amount": "1.00"}).status_code == 200


def test_refunds_through_the_api(owner_a, paid_a, store_a):
    card, _ = paid_a
    # too much: on its field
    response = owner_a.post(f"{PAYMENTS}{card.pk}/refund/", {"amount": "30.00"})
    assert response.status_code == 400
    assert response.json() == _error(
        "refund_exceeds_captured",
        "At most $25.00 can be refunded.",
        attr="amount",
        type_="validation_error",
    )
    # part, then the rest
    partial = owner_a.post(f"{PAYMENTS}{card.pk}/refund/", {"amount": "10.00", "reason": "Late"})
    assert (partial.status_code, partial.json()["status"], partial.json()["refunded_amount"]) == (
        200,
        "partially_refunded",
        "10.00",
    )
    rest = owner_a.post(f"{PAYMENTS}{card.pk}/refund/", {})
    assert (rest.json()["status"], rest.json()["refundable_amount"]) == ("refunded", "0.00")
    with tenant_context(store_a.tenant):
        refund = Payment.objects.get(pk=card.pk).transactions.filter(kind="refund").first()
        assert refund.actor.email == store_a.owner_email


def test_state_conflicts_are_409(owner_a, paid_a):
    card, manual = paid_a
    response = owner_a.post(f"{PAYMENTS}{card.pk}/void/", {})
    assert response.status_code == 409
    assert response.json() == _error(
        "payment_not_voidable",
        "Only a payment that took no money yet can be voided; refund it instead.",
    )
    assert owner_a.post(f"{PAYMENTS}{card.pk}/mark-paid/", {}).json()["errors"][0]["code"] == (
        "mark_paid_not_supported"
    )
    assert owner_a.post(f"{PAYMENTS}{manual.pk}/capture/").status_code == 409
    voided = owner_a.post(f"{PAYMENTS}{manual.pk}/void/", {"reason": "Never paid"})
    assert (voided.status_code, voided.json()["status"]) == (200, "voided")


# --- other stores -------------------------------------------------------------------------


def test_another_stores_token_means_nothing_here(store_a, store_b, paid_a):
    card, _ = paid_a
    # store B's owner's token, sent to store A's host
    token_b = signed_in(store_b, store_b.owner_email)._credentials["HTTP_AUTHORIZATION"]
    intruder = APIClient(HTTP_HOST=store_a.host)
    intruder.credentials(HTTP_AUTHORIZATION=token_b)
    assert intruder.get(PAYMENTS).status_code == 401
    assert intruder.post(f"{PAYMENTS}{card.pk}/refund/", {}).status_code == 401
    with tenant_context(store_a.tenant):
        assert Payment.objects.get(pk=card.pk).refunded_amount == 0


def test_store_a_ids_on_store_b_are_not_found(owner_b, paid_a, store_a):
    card, manual = paid_a
    assert owner_b.get(PAYMENTS).json()["results"] == []
    assert owner_b.get(f"{PAYMENTS}{card.pk}/").status_code == 404
    assert owner_b.post(f"{PAYMENTS}{card.pk}/refund/", {}).status_code == 404
    assert owner_b.post(f"{PAYMENTS}{manual.pk}/mark-paid/", {}).status_code == 404
    with tenant_context(store_a.tenant):
        assert list(Payment.objects.order_by("id").values_list("status", flat=True)) == [
            "captured",
            "pending",
        ]


# --- webhooks -----------------------------------------------------------------------------


def _post_webhook(client, body: bytes, *, secret: str = WEBHOOK_SECRET, path: str = WEBHOOK):
    headers = webhook_headers(body=body, secret=secret)
    return client.generic(
        "POST",
        path,
        body,
        content_type="application/json",
        HTTP_TEST_GATEWAY_SIGNATURE=headers["Test-Gateway-Signature"],
    )


@pytest.fixture
def authorised_a(store_a):
    with tenant_context(store_a.tenant):
        methods_enable(capture="manual")
        return services.payment_start(
            order=order_make(), provider_code="test", payment_data=GOOD_CARD
        ).payment


def test_a_signed_webhook_is_applied_once_without_csrf_or_account(store_a, authorised_a):
    client = APIClient(HTTP_HOST=store_a.host, enforce_csrf_checks=True)
    body = webhook_body(
        "charge.captured", charge=authorised_a.provider_reference, event_id="evt_api"
    )
    # when
    first = _post_webhook(client, body)
    again = _post_webhook(client, body)
    # then
    assert (first.status_code, first.json()) == (200, {"status": "applied", "event_id": "evt_api"})
    assert again.json() == {"status": "duplicate", "event_id": "evt_api"}
    with tenant_context(store_a.tenant):
        payment = Payment.objects.get(pk=authorised_a.pk)
        assert (payment.status, payment.order.status) == ("captured", "paid")


def test_bad_webhooks_get_a_clear_4xx(api_a, store_a, authorised_a):
    body = webhook_body("charge.captured", charge=authorised_a.provider_reference)
    bad = _post_webhook(api_a, body, secret="whsec_guess")
    assert (bad.status_code, bad.json()) == (
        400,
        _error("webhook_signature_invalid", "The webhook signature is missing or wrong."),
    )
    unknown = _post_webhook(api_a, body, path="/api/v1/payments/webhooks/nope/")
    assert (unknown.status_code, unknown.json()["errors"][0]["code"]) == (404, "provider_unknown")
    with tenant_context(store_a.tenant):
        assert not WebhookEvent.objects.exists()
        assert Payment.objects.get(pk=authorised_a.pk).status == "authorized"


def test_store_a_events_sent_to_store_b_change_nothing(api_b, store_a, store_b, authorised_a):
    body = webhook_body("charge.captured", charge=authorised_a.provider_reference)
    # store B never set the gateway up
    assert _post_webhook(api_b, body).status_code == 404
    # store B has the gateway with its own secret: A's signature is not B's
    with tenant_context(store_b.tenant):
        services.provider_config_save(
            provider_code="test", enabled=True, settings={"webhook_secret": "whsec_store_b"}
        )
    assert _post_webhook(api_b, body).status_code == 400
    # signed with B's secret, the event names a payment B does not have
    response = _post_webhook(api_b, body, secret="whsec_store_b")
    assert (response.status_code, response.json()["errors"][0]["code"]) == (
        404,
        "webhook_payment_unknown",
    )
    with tenant_context(store_a.tenant):
        assert Payment.objects.get(pk=authorised_a.pk).status == "authorized"


def test_the_schema_documents_the_payments_api(client_a):
    GENERATOR_STATS.reset()
    schema = client_a.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert not GENERATOR_STATS
    assert {
        METHODS,
        PAYMENTS,
        "/api/v1/payments/{id}/",
        "/api/v1/payments/{id}/mark-paid/",
        "/api/v1/payments/{id}/capture/",
        "/api/v1/payments/{id}/refund/",
        "/api/v1/payments/{id}/void/",
        "/api/v1/payments/webhooks/{provider}/",
    } <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"][PAYMENTS]["get"]["parameters"]}
    assert params == {"order", "status", "cursor", "limit"}


def test_amounts_are_strings_never_floats(owner_a, paid_a):
    card, _ = paid_a
    row = owner_a.get(f"{PAYMENTS}{card.pk}/").json()
    assert Decimal(row["captured_amount"]) == Decimal("25.00")
    assert isinstance(row["captured_amount"], str)


def test_a_page_of_payments_costs_the_same_queries_for_1_or_5(owner_a, store_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_a.get(PAYMENTS).status_code == 200
        return len(captured.captured_queries)

    with tenant_context(store_a.tenant):
        methods_enable()
        services.payment_start(order=order_make(), provider_code="test", payment_data=GOOD_CARD)
    one = queries()
    with tenant_context(store_a.tenant):
        for _ in range(4):
            services.payment_start(order=order_make(), provider_code="test", payment_data=GOOD_CARD)
    # the page: payments with their orders (1 query) and their transactions (1 query)
    assert queries() == one
