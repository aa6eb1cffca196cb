"""The store API's account endpoints and the store's public profile. Thin: authentication
rules are simplejwt's plus our store binding; rate limits come from apps.core.api.throttling."""

from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse401Serializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from apps.accounts.api.serializers import (
    AccessTokenSerializer,
    AccountSerializer,
    StoreProfileSerializer,
    StoreTokenObtainSerializer,
    StoreTokenRefreshSerializer,
    TokenObtainRequestSerializer,
    TokenPairSerializer,
    TokenRefreshRequestSerializer,
)
from apps.core.api.throttling import AUTH_THROTTLES

AUTH_TAG = "auth"


class TokenObtainView(TokenObtainPairView):
    serializer_class = StoreTokenObtainSerializer
    throttle_classes = AUTH_THROTTLES

    @extend_schema(
        tags=[AUTH_TAG],
        summary="Get a token pair",
        description="Exchange an account's email and password for an access and a refresh "
        "token. The tokens work on this store's host only.",
        request=TokenObtainRequestSerializer,
        responses={200: TokenPairSerializer, 401: ErrorResponse401Serializer},
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class TokenRefreshStoreView(TokenRefreshView):
    serializer_class = StoreTokenRefreshSerializer
    throttle_classes = AUTH_THROTTLES

    @extend_schema(
        tags=[AUTH_TAG],
        summary="Get a fresh access token",
        description="Exchange a refresh token issued by this store for a new access token.",
        request=TokenRefreshRequestSerializer,
        responses={200: AccessTokenSerializer, 401: ErrorResponse401Serializer},
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class MeView(APIView):
    @extend_schema(
        tags=[AUTH_TAG],
        summary="The current account",
        responses={200: AccountSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(AccountSerializer(request.user).data)


class StoreProfileView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["store"],
        summary="The store's public profile",
        responses={200: StoreProfileSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(StoreProfileSerializer(request.tenant).data)
