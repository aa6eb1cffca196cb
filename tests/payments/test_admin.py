"""The payments admin: a store's providers (secrets write-only) and the list of payments."""

import pytest
from django_tenants.utils import tenant_context

from apps.payments import services
from apps.payments.models import PaymentProviderConfig
from tests.catalog.admin.conftest import admin_login
from tests.orders.factories import order_make
from tests.payments.conftest import GOOD_CARD, methods_enable

CONFIGS = "/admin/payments/paymentproviderconfig/"
PAYMENTS = "/admin/payments/payment/"
SECRET = "whsec_admin_secret_value_9876"


@pytest.fixture
def owner_a(client_a, store_a):
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


def _config(store, code: str) -> tuple[PaymentProviderConfig, dict]:
    with tenant_context(store.tenant):
        config = PaymentProviderConfig.objects.get(provider=code)
        return config, services.provider_settings(config)


def _form(**changes) -> dict:
    data = {
        "enabled": "on",
        "display_name": "",
        "position": "0",
        "instructions": "",
        "setting_capture": "automatic",
        "setting_webhook_secret": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_adding_a_provider_goes_on_to_its_settings(owner_a, store_a):
    # the choice offers the registered providers
    page = owner_a.get(f"{CONFIGS}add/")
    assert [c[0] for c in page.context["adminform"].form.fields["provider"].choices] == [
        "manual",
        "test",
    ]
    # when
    response = owner_a.post(
        f"{CONFIGS}add/",
        {"provider": "test", "enabled": "on", "display_name": "", "position": "0"},
    )
    # then
    config, settings = _config(store_a, "test")
    assert response.status_code == 302
    assert response.url == f"{CONFIGS}{config.pk}/change/"
    assert config.enabled
    assert settings["webhook_secret"].startswith("whsec_")
    # a provider already set up is not offered again
    page = owner_a.get(f"{CONFIGS}add/")
    assert [c[0] for c in page.context["adminform"].form.fields["provider"].choices] == ["manual"]


def test_secrets_are_write_only(owner_a, store_a):
    with tenant_context(store_a.tenant):
        config = services.provider_config_save(
            provider_code="test", enabled=True, settings={"webhook_secret": SECRET}
        )
    url = f"{CONFIGS}{config.pk}/change/"
    # the page says a secret is set, never what it is
    page = owner_a.get(url).content.decode()
    assert SECRET not in page
    assert SECRET[:-4] not in page
    assert "set, ending …9876" in page
    assert 'name="setting_webhook_secret"' in page
    # when saved without typing it again, and capture changed
    response = owner_a.post(url, _form(setting_capture="manual", instructions="Test cards"))
    # then
    assert response.status_code == 302
    config, settings = _config(store_a, "test")
    assert settings == {"capture": "manual", "webhook_secret": SECRET}
    assert config.instructions == "Test cards"
    # when a new secret is typed
    owner_a.post(url, _form(setting_webhook_secret="whsec_new_one_1111"))
    assert _config(store_a, "test")[1]["webhook_secret"] == "whsec_new_one_1111"
    # when it is removed
    owner_a.post(url, _form(setting_webhook_secret__clear="on"))
    assert "webhook_secret" not in _config(store_a, "test")[1]


def test_refusals_are_shown_on_their_field(owner_a, store_a):
    with tenant_context(store_a.tenant):
        config = services.provider_config_save(provider_code="test", enabled=True)
    url = f"{CONFIGS}{config.pk}/change/"
    # the form's own checks
    response = owner_a.post(url, _form(setting_capture="sometimes", display_name="x" * 81))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"display_name", "setting_capture"}
    # the service's refusal, kept with the merchant's input
    response = owner_a.post(url, _form(instructions="y" * 5001, display_name="Cards"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"instructions": ["At most 5000 characters."]}
    assert form["display_name"].value() == "Cards"
    with tenant_context(store_a.tenant):
        assert PaymentProviderConfig.objects.get(pk=config.pk).display_name == ""


def test_providers_are_switched_off_not_deleted(owner_a, store_a):
    with tenant_context(store_a.tenant):
        config = services.provider_config_save(provider_code="manual", enabled=True)
    assert owner_a.get(f"{CONFIGS}{config.pk}/delete/").status_code == 403


def test_view_only_staff_see_but_cannot_change(client_a, store_a):
    with tenant_context(store_a.tenant):
        config = services.provider_config_save(provider_code="manual", enabled=True)
    admin_login(client_a, store_a.staff_email, store_a.password)
    assert client_a.get(CONFIGS).status_code == 200
    response = client_a.post(f"{CONFIGS}{config.pk}/change/", {"enabled": ""})
    assert response.status_code == 403
    with tenant_context(store_a.tenant):
        assert PaymentProviderConfig.objects.get(pk=config.pk).enabled


def test_payments_list_finds_a_payment_by_reference_and_opens_its_order(owner_a, store_a):
    with tenant_context(store_a.tenant):
        methods_enable()
        order = order_make()
        payment = services.payment_start(
            order=order, provider_code="test", payment_data=GOOD_CARD
        ).payment
        order_make()
    response = owner_a.get(PAYMENTS, {"q": payment.provider_reference})
    assert [p.pk for p in response.context["cl"].result_list] == [payment.pk]
    opened = owner_a.get(f"{PAYMENTS}{payment.pk}/change/")
    assert opened.url == f"/admin/orders/order/{order.pk}/change/"


def test_store_a_settings_and_payments_are_not_on_store_b(client_b, store_a, store_b):
    with tenant_context(store_a.tenant):
        methods_enable()
        config = PaymentProviderConfig.objects.get(provider="test")
        payment = services.payment_start(
            order=order_make(), provider_code="test", payment_data=GOOD_CARD
        ).payment
    admin_login(client_b, store_b.owner_email, store_b.password)
    assert list(client_b.get(CONFIGS).context["cl"].result_list) == []
    assert client_b.get(f"{CONFIGS}{config.pk}/change/").status_code == 404
    assert client_b.post(f"{CONFIGS}{config.pk}/change/", _form()).status_code == 404
    assert client_b.get(f"{PAYMENTS}{payment.pk}/change/").status_code == 404
