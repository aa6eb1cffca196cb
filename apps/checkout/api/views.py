"""The checkout API: a cart becomes a checkout, the shopper gives the steps (any of them, in
any order, as often as they like), and completing it places the order and starts its payment.

    POST  /api/v1/checkouts/                   {"cart": "<cart token>"} -> the checkout
    GET   /api/v1/checkouts/{token}/           the checkout, priced now on the server
    PATCH /api/v1/checkouts/{token}/           email, addresses, shipping/payment method, note
    POST  /api/v1/checkouts/{token}/complete/  Idempotency-Key header -> the order + payment

Open to guests: the checkout's unguessable token is the key, as the cart's is. A signed-in
customer's checkout (or one whose cart is theirs) answers to that customer only; a customer's
Bearer token attaches a guest checkout to them. Thin: apps.checkout.services does every write
and every price (their ApplicationError is the one error shape).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from apps.cart.errors import CartErrorCode
from apps.cart.selectors import cart_find
from apps.checkout import services
from apps.checkout.api.presenters import (
    checkout_payload,
    completed_response,
    latest_payment_payload,
    outcome_payload,
)
from apps.checkout.api.serializers import (
    CheckoutCompletedSerializer,
    CheckoutCompleteSerializer,
    CheckoutCreateSerializer,
    CheckoutSerializer,
    CheckoutUpdateSerializer,
)
from apps.checkout.models import Checkout
from apps.checkout.selectors import checkout_find
from apps.core.api.input import validated_input
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.orders.models import Order
from apps.payments.providers import payment_provider_get

TOKEN_MAX = Checkout._meta.get_field("token").max_length
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Checkout field (API name) -> checkout_update keyword.
_STEPS = {
    "email": "email",
    "shipping_address": "shipping_address",
    "billing_address": "billing_address",
    "shipping_method": "shipping_method_id",
    "payment_method": "payment_method",
    "customer_note": "customer_note",
}


def _currency(request: Request) -> str:
    return request.tenant.currency


def _customer(request: Request):
    user = request.user
    return user if user and user.is_authenticated else None


def _replayed(request: Request, *, checkout_token: str, key: str) -> Order | None:
    """The order this checkout already placed with this key (its checkout is gone then: the
    cart and checkout are removed when the order is placed). Only for whoever may see it."""
    order = Order.objects.filter(idempotency_key=key, checkout_token=checkout_token).first()
    if order is None:
        return None
    if order.customer_id is not None and order.customer_id != getattr(request.user, "pk", None):
        return None
    return order


def _payment_data_check(checkout: Checkout, payment: dict | None) -> None:
    """Card details are checked before the order is placed, not after: a typo must not leave
    an order behind awaiting payment (the provider's own check, on `payment.<field>`)."""
    provider = payment_provider_get(checkout.payment_provider)
    if provider is None or not provider.needs_card:
        return
    try:
        provider.payment_data_clean(payment or {})
    except ApplicationFieldErrors as error:
        raise error.prefixed("payment") from None


# --- the views -----------------------------------------------------------------------------

TOKEN_PARAMETER = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.PATH, description="The checkout's token."
)


class CheckoutViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    lookup_field = "token"
    lookup_value_regex = rf"[-_A-Za-z0-9]{{1,{TOKEN_MAX}}}"

    def _get(self, request: Request, token: str) -> Checkout:
        """The checkout with this token, for whoever may use it; a signed-in customer's
        Bearer token attaches a guest checkout to them."""
        checkout = checkout_find(token=token)
        customer = _customer(request)
        owner_ids = {checkout.customer_id, checkout.cart.customer_id} if checkout else set()
        owner_ids.discard(None)
        if checkout is None or owner_ids - {getattr(customer, "pk", None)}:
            raise Http404
        if customer is not None and checkout.customer_id is None:
            checkout = services.checkout_for_cart(cart=checkout.cart, customer=customer)
        return checkout

    @extend_schema(
        summary="Start checking out a cart",
        description="The cart's checkout (made on first use; the same one afterwards), priced "
        "on the server. A signed-in customer's Bearer token attaches it to them (their email "
        "is filled in). An unknown or closed cart, or one that is someone else's: 404 "
        "cart_not_found.",
        request=CheckoutCreateSerializer,
        responses={201: CheckoutSerializer, 200: CheckoutSerializer},
    )
    def create(self, request: Request) -> Response:
        data = validated_input(CheckoutCreateSerializer, request)
        customer = _customer(request)
        cart = cart_find(token=data["cart"], customer=customer)
        if cart is None:
            raise ApplicationError(
                "There is no open cart with this token.",
                code=CartErrorCode.CART_NOT_FOUND,
                field="cart",
                status_code=status.HTTP_404_NOT_FOUND,
            )
        existed = Checkout.objects.filter(cart=cart).exists()
        checkout = services.checkout_for_cart(cart=cart, customer=customer)
        return Response(
            checkout_payload(checkout, currency=_currency(request)),
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="A checkout, priced now",
        parameters=[TOKEN_PARAMETER],
        responses=CheckoutSerializer,
    )
    def retrieve(self, request: Request, token: str) -> Response:
        checkout = self._get(request, token)
        return Response(checkout_payload(checkout, currency=_currency(request)))

    @extend_schema(
        summary="Give checkout steps",
        description="Any of the steps, together or one at a time: email, shipping_address, "
        "billing_address, shipping_method (an id from `shipping_methods`), payment_method "
        "(a code from `payment_methods`), customer_note. Addresses are checked per country, "
        "every bad field at once (attr `shipping_address.postal_code`); a new shipping "
        "address drops a shipping method it cannot have.",
        parameters=[TOKEN_PARAMETER],
        request=CheckoutUpdateSerializer,
        responses=CheckoutSerializer,
    )
    def partial_update(self, request: Request, token: str) -> Response:
        checkout = self._get(request, token)
        data = validated_input(CheckoutUpdateSerializer, request, partial=True)
        steps = {
            keyword: dict(data[name]) if isinstance(data[name], dict) else data[name]
            for name, keyword in _STEPS.items()
            if name in data
        }
        currency = _currency(request)
        checkout = services.checkout_update(checkout=checkout, currency=currency, **steps)
        return Response(checkout_payload(checkout, currency=currency))

    @extend_schema(
        summary="Place the order",
        description="Everything is checked and priced again on the server, then the order is "
        "placed in one transaction (stock reserved, lines and totals frozen) and its payment "
        f"started. The `{IDEMPOTENCY_HEADER}` header is required: the same key always answers "
        "with the same order (201 when this request placed it, 200 when it had been placed "
        "already), never a second one. A declined card still gives 201: the order awaits "
        "payment (payment.status failed, with its message). Sold out meanwhile: 409 "
        "(out_of_stock, or lines_unavailable on `cart` with the reasons); a price that moved "
        "away from `expected_total`: 409 total_changed.",
        parameters=[
            TOKEN_PARAMETER,
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="1 to 100 printable characters, unique per order attempt "
                "(e.g. a UUID made when the review step is shown).",
            ),
        ],
        request=CheckoutCompleteSerializer,
        responses={
            201: CheckoutCompletedSerializer,
            200: OpenApiResponse(CheckoutCompletedSerializer, description="A replay."),
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, token: str) -> Response:
        key = services.idempotency_key_clean(request.headers.get(IDEMPOTENCY_HEADER))
        data = validated_input(CheckoutCompleteSerializer, request)
        try:
            checkout = self._get(request, token)
        except Http404:
            replayed = _replayed(request, checkout_token=token, key=key)
            if replayed is None:
                raise
            return completed_response(replayed, latest_payment_payload(replayed), created=False)
        _payment_data_check(checkout, data.get("payment"))
        # The service answers a replay (also one racing this request) with its order and
        # refuses a key another checkout used (idempotency_key_reused, 409).
        done = services.checkout_complete(
            checkout=checkout,
            idempotency_key=key,
            currency=_currency(request),
            payment_data=data.get("payment") or {},
            expected_total=data.get("expected_total"),
        )
        if not done.created:
            return completed_response(done.order, latest_payment_payload(done.order), created=False)
        return completed_response(done.order, outcome_payload(done.payment), created=True)
