"""Provider secrets: encrypted at rest, kept when not re-entered, shown back only as a hint."""

import pytest
from django.db import connection

from apps.core.exceptions import ApplicationFieldErrors
from apps.payments import services
from apps.payments.models import PaymentProviderConfig
from apps.payments.secrets import SecretsUnreadable, secrets_decrypt, secrets_encrypt

SECRET = "whsec_live_abcdefghijklmnop1234"


def _stored_row(code: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT settings::text || secrets FROM payments_paymentproviderconfig "
            "WHERE provider = %s",
            [code],
        )
        return cursor.fetchone()[0]


def test_secrets_are_encrypted_at_rest_and_read_back(in_a):
    # when
    config = services.provider_config_save(
        provider_code="test", enabled=True, settings={"webhook_secret": SECRET}
    )
    # then the row holds no trace of the secret
    assert SECRET not in _stored_row("test")
    assert "webhook_secret" not in config.settings
    assert services.provider_settings(config) == {"capture": "automatic", "webhook_secret": SECRET}
    assert services.provider_config_secret_hints(config) == {"webhook_secret": "set, ending …1234"}


def test_an_empty_secret_keeps_the_stored_one_and_clearing_removes_it(in_a):
    services.provider_config_save(provider_code="test", settings={"webhook_secret": SECRET})
    # when a form comes back without the secret (it is never sent to the browser)
    config = services.provider_config_save(
        provider_code="test", settings={"webhook_secret": "", "capture": "manual"}
    )
    # then
    assert services.provider_settings(config) == {"capture": "manual", "webhook_secret": SECRET}
    # when
    config = services.provider_config_save(provider_code="test", secrets_clear=["webhook_secret"])
    # then
    assert services.provider_settings(config) == {"capture": "manual"}
    assert services.provider_config_secret_hints(config) == {"webhook_secret": "not set"}


def test_a_new_test_gateway_gets_its_own_webhook_secret(in_a):
    config = services.provider_config_save(provider_code="test", enabled=True)
    secret = services.provider_settings(config)["webhook_secret"]
    assert secret.startswith("whsec_")
    assert len(secret) > 40


def test_settings_are_checked(in_a):
    with pytest.raises(ApplicationFieldErrors) as refused:
        services.provider_config_save(
            provider_code="test", settings={"capture": "later"}, position=-1
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [("position", "invalid")]
    with pytest.raises(ApplicationFieldErrors) as refused:
        services.provider_config_save(provider_code="test", settings={"capture": "later"})
    assert [(e.field, e.code) for e in refused.value.errors] == [("capture", "invalid_choice")]
    assert not PaymentProviderConfig.objects.exists()


def test_another_key_cannot_read_them_and_old_keys_still_can(settings):
    token = secrets_encrypt({"api_key": "sk_1"})
    settings.PAYMENTS_ENCRYPTION_KEY = "a-new-key-for-payments-0123456789"
    with pytest.raises(SecretsUnreadable):
        secrets_decrypt(token)
    # rotation: the old key listed, old values read; new ones are written with the new key
    settings.PAYMENTS_ENCRYPTION_OLD_KEYS = [settings.SECRET_KEY]
    assert secrets_decrypt(token) == {"api_key": "sk_1"}
    rewritten = secrets_encrypt({"api_key": "sk_1"})
    settings.PAYMENTS_ENCRYPTION_OLD_KEYS = []
    assert secrets_decrypt(rewritten) == {"api_key": "sk_1"}
