"""Provider secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is derived (HKDF-SHA256) from settings.PAYMENTS_ENCRYPTION_KEY, or SECRET_KEY when that
is unset, so a database dump alone never reveals a store's API keys. To rotate, set the new key
and list the old ones in PAYMENTS_ENCRYPTION_OLD_KEYS: values still decrypt, and are written
with the new key the next time they are saved.
"""

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PURPOSE = b"pycommerce.payments.provider-secrets"


class SecretsUnreadable(Exception):
    """The stored secrets were written with a key this process does not have."""


def _fernet_key(material: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    primary = getattr(settings, "PAYMENTS_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    if not primary:
        raise ImproperlyConfigured("Set PAYMENTS_ENCRYPTION_KEY (or SECRET_KEY).")
    old = list(getattr(settings, "PAYMENTS_ENCRYPTION_OLD_KEYS", []))
    return MultiFernet([Fernet(_fernet_key(key)) for key in [primary, *old]])


def secrets_encrypt(values: dict[str, Any]) -> str:
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def secrets_decrypt(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise SecretsUnreadable(
            "The provider's secrets were encrypted with another key; enter them again."
        ) from exc


def secret_hint(value: str) -> str:
    """How a stored secret is shown back: that it is set, and its last 4 characters at most
    (none of a short one)."""
    if not value:
        return "not set"
    return f"set, ending …{value[-4:]}" if len(value) >= 12 else "set"
