"""The cart API: /api/v1/carts/. A cart is named by its unguessable token (anyone holding it
may use it, like the storefront's cookie); a signed-in customer's own cart is `mine`
(`/api/v1/carts/mine/...` with their Bearer token). A customer's cart is never reachable by its
token alone, and another store's tokens, ids and credentials find nothing here (404 / 401).

Every answer is the whole cart priced on the server (apps.cart.selectors.cart_view). Thin:
apps.cart.services decide; refusals come back in the API's one error shape with their code.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cart import selectors, services
from apps.cart.api.serializers import (
    CartCreateSerializer,
    CartLineAddSerializer,
    CartLineQuantitySerializer,
    CartMergeSerializer,
    CartOutSerializer,
    CartVoucherSerializer,
)
from apps.cart.models import Cart
from apps.core.api.input import validated_input

MINE = "mine"
TAG = "cart"
TOKEN_PARAMETER = OpenApiParameter(
    "token",
    str,
    OpenApiParameter.PATH,
    description="The cart's token, or \"mine\" for the signed-in customer's own cart.",
)

LINE_PARAMETER = OpenApiParameter("line_id", int, OpenApiParameter.PATH, description="A line's id.")


def _customer(request: Request):
    user = request.user
    return user if user and user.is_authenticated else None


class CartAPIView(APIView):
    permission_classes = [AllowAny]

    def cart(self, request: Request, token: str) -> Cart:
        customer = _customer(request)
        if token == MINE:
            if customer is None:
                raise NotAuthenticated("Sign in to use your own cart.")
            return services.cart_create(customer=customer)
        cart = selectors.cart_find(token=token, customer=customer)
        if cart is None:
            raise NotFound("No such cart.")
        return cart

    def present(
        self, cart: Cart, *, status_code: int = status.HTTP_200_OK, changed: bool = True
    ) -> Response:
        if changed:  # the services changed the row through their own (locked) copy of it
            cart = Cart.objects.get(pk=cart.pk)
        return Response(CartOutSerializer(selectors.cart_view(cart)).data, status=status_code)


class CartListView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Create a cart",
        description="A new anonymous cart; keep its `token` (the only way back to it). A "
        'signed-in customer\'s own cart is "mine" and needs no creating.',
        request=CartCreateSerializer,
        responses={201: CartOutSerializer},
    )
    def post(self, request: Request) -> Response:
        email = validated_input(CartCreateSerializer, request).get("email", "")
        with transaction.atomic():
            cart = services.cart_create()
            if email:
                services.cart_email_set(cart=cart, email=email)
        return self.present(cart, status_code=status.HTTP_201_CREATED)


class CartDetailView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="A cart, priced now",
        parameters=[TOKEN_PARAMETER],
        responses={200: CartOutSerializer},
    )
    def get(self, request: Request, token: str) -> Response:
        return self.present(self.cart(request, token), changed=False)

    @extend_schema(
        tags=[TAG], summary="Delete a cart", parameters=[TOKEN_PARAMETER], responses={204: None}
    )
    def delete(self, request: Request, token: str) -> Response:
        services.cart_delete(cart=self.cart(request, token))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartLinesView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Add a variant to a cart",
        description="Adds to the variant's line when the cart has one. Refused when the "
        "variant cannot be bought or not that many are available (`quantity_unavailable`, "
        'e.g. "Only 3 left of Linen Shirt.").',
        parameters=[TOKEN_PARAMETER],
        request=CartLineAddSerializer,
        responses={201: CartOutSerializer},
    )
    def post(self, request: Request, token: str) -> Response:
        cart = self.cart(request, token)
        data = validated_input(CartLineAddSerializer, request)
        services.cart_line_add(cart=cart, variant_id=data["variant_id"], quantity=data["quantity"])
        return self.present(cart, status_code=status.HTTP_201_CREATED)


class CartLineView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Change a line's quantity (0 removes it)",
        parameters=[TOKEN_PARAMETER, LINE_PARAMETER],
        request=CartLineQuantitySerializer,
        responses={200: CartOutSerializer},
    )
    def patch(self, request: Request, token: str, line_id: int) -> Response:
        cart = self.cart(request, token)
        quantity = validated_input(CartLineQuantitySerializer, request)["quantity"]
        services.cart_line_set_quantity(cart=cart, line_id=line_id, quantity=quantity)
        return self.present(cart)

    @extend_schema(
        tags=[TAG],
        summary="Remove a line",
        parameters=[TOKEN_PARAMETER, LINE_PARAMETER],
        responses={200: CartOutSerializer},
    )
    def delete(self, request: Request, token: str, line_id: int) -> Response:
        cart = self.cart(request, token)
        services.cart_line_remove(cart=cart, line_id=line_id)
        return self.present(cart)


class CartVoucherView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Apply a voucher code",
        description="Refused with the reason's code: voucher_not_found, voucher_inactive, "
        "voucher_not_started, voucher_expired, voucher_exhausted, voucher_used_by_customer, "
        "voucher_min_subtotal or voucher_not_applicable.",
        parameters=[TOKEN_PARAMETER],
        request=CartVoucherSerializer,
        responses={200: CartOutSerializer},
    )
    def post(self, request: Request, token: str) -> Response:
        cart = self.cart(request, token)
        code = validated_input(CartVoucherSerializer, request)["code"]
        services.cart_voucher_apply(cart=cart, code=code)
        return self.present(cart)

    @extend_schema(
        tags=[TAG],
        summary="Remove the voucher",
        parameters=[TOKEN_PARAMETER],
        responses={200: CartOutSerializer},
    )
    def delete(self, request: Request, token: str) -> Response:
        cart = self.cart(request, token)
        services.cart_voucher_remove(cart=cart)
        return self.present(cart)


class CartMergeView(CartAPIView):
    @extend_schema(
        tags=[TAG],
        summary="Merge an anonymous cart into mine",
        description="After signing in: the anonymous cart's lines are added to the customer's "
        "own cart (quantities summed, capped to what is available) and the anonymous cart is "
        "deleted.",
        request=CartMergeSerializer,
        responses={200: CartOutSerializer},
    )
    def post(self, request: Request) -> Response:
        customer = _customer(request)
        if customer is None:
            raise NotAuthenticated("Sign in to merge a cart into your own.")
        token = validated_input(CartMergeSerializer, request)["token"]
        result = services.cart_merge_for_login(token=token, customer=customer)
        if result is None:
            raise NotFound("No such cart.")
        return self.present(result.cart)
