from rest_framework import serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import (
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from apps.accounts import selectors
from apps.accounts.api.authentication import STORE_CLAIM, store_claim_value, wrong_store_error
from apps.accounts.errors import AccountErrorCode
from apps.accounts.models import User


class StoreTokenObtainSerializer(TokenObtainPairSerializer):
    """Email + password → a token pair bound to this store (schema in the `store` claim)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A malformed address is a validation error, not a failed login.
        self.fields[self.username_field] = serializers.EmailField(write_only=True)

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[STORE_CLAIM] = store_claim_value()
        return token


class StoreTokenRefreshSerializer(TokenRefreshSerializer):
    """A refresh token works only on the store that issued it, for an active account."""

    def validate(self, attrs: dict) -> dict:
        refresh = self.token_class(attrs["refresh"])
        if refresh.get(STORE_CLAIM) != store_claim_value():
            raise wrong_store_error()
        user = selectors.user_get_active(user_id=refresh.get(jwt_settings.USER_ID_CLAIM))
        if user is None:
            raise InvalidToken(
                {
                    "detail": self.error_messages["no_active_account"],
                    "code": AccountErrorCode.NO_ACTIVE_ACCOUNT,
                }
            )
        # The access token copies the refresh token's claims, the store included.
        return {"access": str(refresh.access_token)}


class TokenObtainRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Short-lived; send as `Authorization: Bearer …`.")
    refresh = serializers.CharField(help_text="Exchange at /api/v1/auth/token/refresh/.")


class TokenRefreshRequestSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class AccessTokenSerializer(serializers.Serializer):
    access = serializers.CharField()


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "is_staff"]
        read_only_fields = fields


class StoreProfileSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. USD.")
    language = serializers.CharField(help_text="Language code, e.g. en.")
