"""The provider interface: the registry (settings and entry points), and the built-in test
gateway's card checks, answers and webhook signatures."""

import json
import time
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationFieldErrors
from apps.payments.providers import (
    payment_provider_get,
    payment_providers,
    payment_providers_reload,
)
from apps.payments.providers.base import PaymentRequest, WebhookKind, WebhookRejected
from apps.payments.providers.manual import ManualProvider
from apps.payments.providers.testgateway import (
    TestGatewayProvider,
    luhn_valid,
    webhook_body,
    webhook_headers,
)

SECRET = "whsec_unit"
gateway = TestGatewayProvider()
CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2040", "cvc": "123"}


# --- registry -----------------------------------------------------------------------------


def test_built_in_providers_are_registered_in_settings_order():
    providers = payment_providers()
    assert list(providers)[:2] == ["manual", "test"]
    assert isinstance(providers["manual"], ManualProvider)
    assert payment_provider_get("nope") is None


def test_settings_choose_the_providers(settings):
    settings.PAYMENT_PROVIDERS = ["apps.payments.providers.testgateway.TestGatewayProvider"]
    assert "manual" not in payment_providers()
    settings.PAYMENT_PROVIDERS = ["apps.payments.models.Payment"]
    with pytest.raises(TypeError, match="is not a PaymentProvider"):
        payment_providers()


PLUGIN_MODULE = """
from apps.payments.providers.manual import ManualProvider


class AcmePayProvider(ManualProvider):
    code = "acmepay"
    name = "AcmePay"


class ManualImpostor(ManualProvider):
    name = "Not the real manual"


class ShippingThing:
    pass
"""
ENTRY_POINTS = """[pycommerce.plugins]
acmepay = pyc_fake_plugin:AcmePayProvider
impostor = pyc_fake_plugin:ManualImpostor
shipping-rates = pyc_fake_plugin:ShippingThing
broken = pyc_fake_plugin_missing:Nope
"""


@pytest.fixture
def plugin_installed(tmp_path, monkeypatch):
    """A package installed on the path that offers entry points in `pycommerce.plugins`."""
    (tmp_path / "pyc_fake_plugin.py").write_text(PLUGIN_MODULE)
    dist = tmp_path / "pyc_fake_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pyc-fake-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    payment_providers_reload()
    yield
    monkeypatch.undo()
    payment_providers_reload()


def test_plugins_add_providers_by_entry_point(plugin_installed, caplog):
    providers = payment_providers()
    # the plugin's provider is there; a plugin cannot take over a built-in's code; other kinds
    # of plugin are skipped and a broken one is logged, not fatal
    assert providers["acmepay"].name == "AcmePay"
    assert providers["manual"].name == "Bank transfer"
    assert "pyc_fake_plugin_missing" in caplog.text


def test_without_the_plugin_its_provider_is_gone():
    assert payment_provider_get("acmepay") is None


# --- the test gateway: card checks --------------------------------------------------------


def test_luhn():
    assert luhn_valid("4242424242424242")
    assert luhn_valid("4000000000000002")
    assert not luhn_valid("4242424242424241")


def test_a_good_card_is_cleaned_to_what_authorise_needs():
    typed = {**CARD, "number": "4242-4242 4242 4242", "exp_year": "40"}
    cleaned = gateway.payment_data_clean(typed)
    assert cleaned == {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"number": ""}, [("number", "required")]),
        ({"number": "4242 4242"}, [("number", "card_number_invalid")]),
        ({"number": "4111 1111 1111 1111"}, [("number", "card_not_test")]),
        ({"exp_month": "0"}, [("exp_month", "expiry_invalid")]),
        ({"exp_year": "2020"}, [("exp_year", "card_expired")]),
        ({"exp_year": "20400"}, [("exp_year", "expiry_invalid")]),
        ({"cvc": "12"}, [("cvc", "cvc_invalid")]),
        ({"cvc": "12a"}, [("cvc", "cvc_invalid")]),
    ],
)
def test_card_input_is_refused_on_its_field(changes, errors):
    with pytest.raises(ApplicationFieldErrors) as refused:
        gateway.payment_data_clean({**CARD, **changes})
    assert [(e.field, e.code) for e in refused.value.errors] == errors
    assert refused.value.code == "payment_data_invalid"


def _request(number: str) -> PaymentRequest:
    return PaymentRequest(
        payment_id=1,
        amount=Decimal("9.99"),
        currency="USD",
        order_number=1001,
        email="a@example.com",
        payment_data=gateway.payment_data_clean({**CARD, "number": number}),
    )


def test_the_success_card_is_authorised_and_captured():
    result = gateway.authorize(request=_request("4242424242424242"), settings={})
    assert (result.success, result.pending, result.raw["card"]["last4"]) == (True, False, "4242")
    capture = gateway.capture(
        reference=result.reference, amount=Decimal("9.99"), currency="USD", settings={}
    )
    assert (capture.success, capture.reference) == (True, result.reference)


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("4000000000000002", "card_declined", "Your card was declined."),
        ("4000000000009995", "insufficient_funds", "Your card has insufficient funds."),
    ],
)
def test_decline_cards(number, code, message):
    result = gateway.authorize(request=_request(number), settings={})
    assert (result.success, result.error_code, result.message) == (False, code, message)


def test_capture_setting():
    assert gateway.auto_capture({"capture": "automatic"})
    assert not gateway.auto_capture({"capture": "manual"})
    with pytest.raises(ApplicationFieldErrors) as refused:
        gateway.settings_clean({"capture": "sometimes"})
    assert [(e.field, e.code) for e in refused.value.errors] == [("capture", "invalid_choice")]


def test_the_manual_provider_only_promises():
    result = ManualProvider().authorize(request=_request("4242424242424242"), settings={})
    assert (result.success, result.pending) == (True, True)


# --- the test gateway: webhooks -----------------------------------------------------------


def _parse(body: bytes, headers: dict, secret: str = SECRET):
    lower = {name.lower(): value for name, value in headers.items()}
    return gateway.webhook_parse(body=body, headers=lower, settings={"webhook_secret": secret})


def test_a_signed_event_is_read():
    body = webhook_body(
        "charge.refunded",
        charge="test_ch_1",
        amount=Decimal("5.00"),
        refund="test_re_9",
        event_id="evt_1",
    )
    event = _parse(body, webhook_headers(body=body, secret=SECRET))
    assert (event.event_id, event.kind, event.payment_reference, event.amount, event.reference) == (
        "evt_1",
        WebhookKind.REFUNDED,
        "test_ch_1",
        Decimal("5.00"),
        "test_re_9",
    )


def test_unknown_event_types_are_other():
    body = webhook_body("customer.created", charge="")
    assert _parse(body, webhook_headers(body=body, secret=SECRET)).kind == WebhookKind.OTHER


@pytest.mark.parametrize(
    "tamper",
    [
        "wrong_secret",
        "no_header",
        "edited_body",
        "stale",
        "no_secret_configured",
    ],
)
def test_bad_signatures_are_refused(tamper):
    body = webhook_body("charge.captured", charge="test_ch_1")
    secret_used, secret_configured, timestamp = SECRET, SECRET, None
    if tamper == "wrong_secret":
        secret_used = "whsec_other"
    if tamper == "stale":
        timestamp = int(time.time()) - 301
    if tamper == "no_secret_configured":
        secret_configured = ""
    headers = webhook_headers(body=body, secret=secret_used, timestamp=timestamp)
    if tamper == "no_header":
        headers = {}
    if tamper == "edited_body":
        body = body.replace(b"test_ch_1", b"test_ch_2")
    with pytest.raises(WebhookRejected) as rejected:
        _parse(body, headers, secret=secret_configured)
    assert rejected.value.code == "webhook_signature_invalid"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        json.dumps({"id": "", "type": "charge.captured", "data": {}}).encode(),
        json.dumps({"id": "e", "type": "charge.captured", "data": {"amount": "x"}}).encode(),
        json.dumps({"id": "e", "type": "charge.captured", "data": {"amount": "-1"}}).encode(),
    ],
)
def test_signed_nonsense_is_refused(body):
    with pytest.raises(WebhookRejected) as rejected:
        _parse(body, webhook_headers(body=body, secret=SECRET))
    assert rejected.value.code == "webhook_invalid"


def test_only_its_own_charges_can_be_captured_refunded_or_voided():
    for result in (
        gateway.capture(reference="", amount=Decimal(1), currency="USD", settings={}),
        gateway.refund(reference="ch_other", amount=Decimal(1), currency="USD", settings={}),
        gateway.void(reference="", settings={}),
    ):
        assert (result.success, result.error_code) == (False, "charge_unknown")
