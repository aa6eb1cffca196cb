"""JWT authentication bound to the store that issued the token.

simplejwt alone would let a token from store A authenticate as whichever user has the same id
on store B. Every token we issue carries the store (its schema and its id, so a store deleted
and signed up again under the same address does not accept the old store's tokens), and we
refuse it anywhere else.
"""

from django.db import connection
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.accounts.errors import AccountErrorCode

STORE_CLAIM = "store"


def store_claim_value() -> str:
    """The store being served, as tokens carry it: "<schema>:<store id>"."""
    return f"{connection.schema_name}:{getattr(connection.tenant, 'pk', '')}"


def wrong_store_error() -> InvalidToken:
    return InvalidToken(
        {
            "detail": "This token belongs to another store.",
            "code": AccountErrorCode.TOKEN_WRONG_STORE,
        }
    )


class StoreJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes):
        token = super().get_validated_token(raw_token)
        if token.get(STORE_CLAIM) != store_claim_value():
            raise wrong_store_error()
        return token
