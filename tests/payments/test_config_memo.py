"""A provider's store config is read from the store's configuration memo when a payment
starts: no query when warm, never stale after a change, never changed by a caller, and never
another store's."""

from django_tenants.utils import schema_context

from apps.payments.services import provider_config_save
from apps.payments.services.config import provider_config_enabled


def test_the_enabled_config_is_memoised_and_follows_every_change(
    store_a, django_assert_num_queries
):
    with schema_context(store_a.schema):
        provider_config_save(provider_code="manual", enabled=True, instructions="IBAN GB00 1")
        assert provider_config_enabled("manual").instructions == "IBAN GB00 1"  # warms it
        with django_assert_num_queries(0):
            warm = provider_config_enabled("manual")
        warm.settings["injected"] = True  # a caller's change stays its own
        assert "injected" not in provider_config_enabled("manual").settings
        provider_config_save(provider_code="manual", instructions="IBAN GB00 2")
        assert provider_config_enabled("manual").instructions == "IBAN GB00 2"
        provider_config_save(provider_code="manual", enabled=False)
        assert provider_config_enabled("manual") is None


def test_one_store_never_gets_another_stores_config(store_a, store_b):
    with schema_context(store_a.schema):
        provider_config_save(provider_code="manual", enabled=True, instructions="Pay A")
        assert provider_config_enabled("manual").instructions == "Pay A"
    with schema_context(store_b.schema):
        assert provider_config_enabled("manual") is None
        provider_config_save(provider_code="manual", enabled=True, instructions="Pay B")
        assert provider_config_enabled("manual").instructions == "Pay B"
    with schema_context(store_a.schema):
        assert provider_config_enabled("manual").instructions == "Pay A"
