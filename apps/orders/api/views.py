"""The orders API: staff read every order of the store, a signed-in customer reads their own,
and a guest reads one order by its unguessable token (never by its sequential id or number).

Read-only and thin: orders are placed by POST /api/v1/checkouts/{token}/complete/ and change
through their services (payments API, admin). Lists use keyset pagination, newest first (with
`updated_since`: oldest change first). Queries per request do not grow with the page or the
number of lines (pinned in tests/orders/test_api.py): the page of orders, then their lines.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import KeysetOrdering, KeysetPagination, SortKey
from apps.orders.api.permissions import OrderPermission, sees_all_orders
from apps.orders.api.presenters import order_data
from apps.orders.api.serializers import OrderFilter, OrderSerializer
from apps.orders.models import Order, OrderLine

ID_PATH = r"\d+"
ORDER_TOKEN_MAX = Order._meta.get_field("token").max_length
ORDERINGS = {
    "newest": KeysetOrdering(
        name="newest",
        keys=(
            SortKey("placed_at", kind="datetime", descending=True),
            SortKey("id", descending=True),
        ),
    ),
    "updated": KeysetOrdering(
        name="updated", keys=(SortKey("updated", kind="datetime"), SortKey("id"))
    ),
}


ORDER_LINES = Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id"))


def orders_for_api() -> QuerySet[Order]:
    """Orders with what OrderSerializer shows: their lines in one more query."""
    return Order.objects.prefetch_related(ORDER_LINES)


def _visible(request: Request) -> QuerySet[Order]:
    """Every order for staff who may view orders; otherwise the user's own."""
    if sees_all_orders(request.user):
        return orders_for_api()
    return orders_for_api().filter(customer_id=request.user.pk)


@extend_schema_view(
    list=extend_schema(
        summary="Orders",
        description="Staff with the orders view permission: every order of the store; a "
        "signed-in customer: their own. Newest first; with `updated_since`, oldest change "
        "first. Filters: status, payment_status.",
        parameters=[OrderFilter],
    ),
    retrieve=extend_schema(
        summary="An order",
        description="By id: staff with the orders view permission, or the order's customer.",
    ),
)
class OrderViewSet(viewsets.GenericViewSet):
    permission_classes = [OrderPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    queryset = Order.objects.all()
    serializer_class = OrderSerializer

    def list(self, request: Request) -> Response:
        params = {}
        if set(request.query_params) - {"cursor", "limit"}:
            filters = OrderFilter(data=request.query_params)
            filters.is_valid(raise_exception=True)
            params = filters.validated_data
        queryset = _visible(request)
        for name in ("status", "payment_status"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        ordering = ORDERINGS["newest"]
        if params.get("updated_since"):
            queryset = queryset.filter(updated__gte=params["updated_since"])
            ordering = ORDERINGS["updated"]
        rows = self.paginator.page(queryset, request=request, ordering=ordering).rows
        return self.paginator.get_paginated_response([order_data(order) for order in rows])

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(order_data(get_object_or_404(_visible(request), pk=pk)))


class OrderByTokenView(APIView):
    """A guest's order, by the token in its confirmation link and email."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="An order by its token",
        description="For whoever holds the order's token (the confirmation page and email "
        "carry it): no account needed. A customer's order is shown to its token holder too, "
        "as its confirmation link works without signing in.",
        responses=OrderSerializer,
    )
    def get(self, request: Request, token: str) -> Response:
        if len(token) > ORDER_TOKEN_MAX:
            raise Http404
        return Response(order_data(get_object_or_404(orders_for_api(), token=token)))
