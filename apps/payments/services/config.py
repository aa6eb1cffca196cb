"""Which payment methods a store offers, and their settings."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from apps.core.exceptions import ApplicationFieldErrors, FieldError
from apps.core.store_config import store_memo
from apps.payments.errors import PaymentErrorCode
from apps.payments.models import PaymentProviderConfig
from apps.payments.providers import payment_provider_get
from apps.payments.secrets import secret_hint, secrets_decrypt, secrets_encrypt
from apps.payments.services._common import provider_require


@dataclass(frozen=True)
class PaymentMethod:
    """A way to pay offered at checkout. `needs_card`: collect card details (payment_data)."""

    code: str
    name: str
    instructions: str
    needs_card: bool


@dataclass(frozen=True)
class _EnabledConfig:
    provider: str
    display_name: str
    instructions: str


def _enabled_configs() -> tuple[_EnabledConfig, ...]:
    rows = (
        PaymentProviderConfig.objects.filter(enabled=True)
        .order_by("position", "id")
        .values_list("provider", "display_name", "instructions")
    )
    return tuple(_EnabledConfig(*row) for row in rows)


_CONFIG_FIELDS = tuple(field.attname for field in PaymentProviderConfig._meta.concrete_fields)


def provider_config_enabled(code: str) -> PaymentProviderConfig | None:
    """The store's config for provider `code` when it is enabled (None otherwise), from the
    store's configuration memo: no query when warm. A fresh instance each call (its settings
    copied), so the memo never sees a caller's changes."""

    def load() -> tuple | None:
        return (
            PaymentProviderConfig.objects.filter(provider=code, enabled=True)
            .values_list(*_CONFIG_FIELDS)
            .first()
        )

    values = store_memo(f"payments.config:{code}", load)
    if values is None:
        return None
    # The settings dict copied (one level: that is how callers use it), not the whole row.
    values = [dict(value) if isinstance(value, dict) else value for value in values]
    return PaymentProviderConfig.from_db(connection.alias, _CONFIG_FIELDS, values)


def payment_methods_available(*, currency: str) -> list[PaymentMethod]:
    """The store's enabled methods that take `currency`, by position. A configured provider
    whose code is no longer registered (its plugin was uninstalled) is left out. The enabled
    configs come from the store's configuration memo (apps.core.store_config)."""
    methods = []
    for config in store_memo("payments.enabled", _enabled_configs):
        provider = payment_provider_get(config.provider)
        if provider is None or not provider.supports_currency(currency):
            continue
        methods.append(
            PaymentMethod(
                code=config.provider,
                name=config.display_name or provider.name,
                instructions=config.instructions,
                needs_card=provider.needs_card,
            )
        )
    return methods


def _text(value: Any, *, field: str, max_length: int, errors: list[FieldError]) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_length:
        errors.append(FieldError(field, f"At most {max_length} characters.", "too_long"))
    return text


@transaction.atomic
def provider_config_save(
    *,
    provider_code: str,
    enabled: bool | None = None,
    display_name: str | None = None,
    position: int | None = None,
    instructions: str | None = None,
    settings: Mapping[str, Any] | None = None,
    secrets_clear: Iterable[str] = (),
) -> PaymentProviderConfig:
    """Create or change a store's settings for a provider; arguments left None stay as they
    are. In `settings`, a secret given empty (or not given) keeps its stored value, so forms
    and API clients never need to send a secret back; `secrets_clear` names secrets to
    remove. A new config starts from the provider's defaults (the test gateway makes up its
    webhook secret)."""
    provider = provider_require(provider_code)
    config = (
        PaymentProviderConfig.objects.select_for_update().filter(provider=provider.code).first()
    )
    is_new = config is None
    if config is None:
        config = PaymentProviderConfig(provider=provider.code)
    errors: list[FieldError] = []
    if enabled is not None:
        config.enabled = bool(enabled)
    if display_name is not None:
        config.display_name = _text(
            display_name, field="display_name", max_length=80, errors=errors
        )
    if instructions is not None:
        config.instructions = _text(
            instructions, field="instructions", max_length=5000, errors=errors
        )
    if position is not None:
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            errors.append(FieldError("position", "A whole number, 0 or more.", "invalid"))
        else:
            config.position = position
    if errors:
        raise ApplicationFieldErrors(errors, code=PaymentErrorCode.PROVIDER_SETTINGS_INVALID)

    secret_names = provider.secret_names()
    stored_secrets = secrets_decrypt(config.secrets)
    current = {**provider.settings_defaults(), **config.settings, **stored_secrets}
    if not is_new:
        # Defaults apply to a new config only: a secret staff cleared stays cleared.
        current = {**config.settings, **stored_secrets}
    for name in secrets_clear:
        current.pop(name, None)
    for name, value in (settings or {}).items():
        if name in secret_names and (value is None or str(value).strip() == ""):
            continue  # kept
        current[name] = value
    cleaned = provider.settings_clean(current)
    config.settings = {k: v for k, v in cleaned.items() if k not in secret_names}
    config.secrets = secrets_encrypt({k: v for k, v in cleaned.items() if k in secret_names and v})
    config.save()
    return config


def provider_config_secret_hints(config: PaymentProviderConfig) -> dict[str, str]:
    """Each secret setting of the provider as it may be shown: set or not, its last 4
    characters at most."""
    provider = payment_provider_get(config.provider)
    if provider is None:
        return {}
    stored = secrets_decrypt(config.secrets)
    return {
        setting.name: secret_hint(str(stored.get(setting.name, "")))
        for setting in provider.setting_fields
        if setting.secret
    }
