"""The inventory API: stock locations, and stock per variant and location with the merchant's
stock changes (receive, adjust, transfer) and a variant's stock policy.

Staff only (InventoryPermission). Thin: input serializers check shapes, apps.inventory.services
do every write (their ApplicationError is the one error shape). Lists use keyset pagination.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.input import validated_input
from apps.core.api.pagination import KeysetOrdering, KeysetPagination, SortKey
from apps.inventory import selectors, services
from apps.inventory.api.permissions import InventoryPermission
from apps.inventory.api.serializers import (
    AdjustSerializer,
    PolicySerializer,
    PolicyWriteSerializer,
    ReceiveSerializer,
    StockFilter,
    StockItemSerializer,
    StockLocationSerializer,
    StockLocationWriteSerializer,
    TransferResultSerializer,
    TransferSerializer,
)
from apps.inventory.models import StockItem, StockLocation

ID_PATH = r"\d+"
CHANGE_STOCK = ["inventory.change_stockitem"]
CHANGE_POLICY = ["inventory.change_stockpolicy"]
BY_ID = KeysetOrdering(name="id", keys=(SortKey("id"),))
BY_POSITION = KeysetOrdering(name="position", keys=(SortKey("position"), SortKey("id")))


class InventoryViewSet(viewsets.GenericViewSet):
    permission_classes = [InventoryPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    required_perms: list[str] | None = None

    def paginated(self, queryset: QuerySet, ordering: KeysetOrdering) -> list:
        return self.paginator.page(queryset, request=self.request, ordering=ordering).rows


@extend_schema_view(
    list=extend_schema(summary="Stock locations", description="By position, then id."),
    retrieve=extend_schema(summary="A stock location"),
    create=extend_schema(
        summary="Add a stock location",
        request=StockLocationWriteSerializer,
        responses={201: StockLocationSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a stock location",
        request=StockLocationWriteSerializer,
        responses=StockLocationSerializer,
    ),
    destroy=extend_schema(
        summary="Delete a stock location that never held stock",
        description="A location with stock or history is deactivated instead "
        "(`location_in_use`); the default one cannot go (`location_default_locked`).",
    ),
)
class StockLocationViewSet(InventoryViewSet):
    perm_model = "stocklocation"
    queryset = StockLocation.objects.all()
    serializer_class = StockLocationSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request: Request) -> Response:
        rows = self.paginated(StockLocation.objects.all(), BY_POSITION)
        return self.paginator.get_paginated_response(StockLocationSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(StockLocationSerializer(get_object_or_404(StockLocation, pk=pk)).data)

    def create(self, request: Request) -> Response:
        fields = validated_input(StockLocationWriteSerializer, request)
        location = services.location_create(**fields)
        return Response(StockLocationSerializer(location).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        location = get_object_or_404(StockLocation, pk=pk)
        fields = validated_input(StockLocationWriteSerializer, request, partial=True)
        location = services.location_update(location=location, **fields)
        return Response(StockLocationSerializer(location).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.location_delete(location=get_object_or_404(StockLocation, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _present(item: StockItem) -> dict:
    return StockItemSerializer(selectors.stock_items().get(pk=item.pk)).data


@extend_schema_view(
    list=extend_schema(
        summary="Stock",
        description="Stock rows (one per variant and location), by id; filter by variant or "
        "location.",
        parameters=[StockFilter],
    ),
    retrieve=extend_schema(summary="A stock row"),
)
class StockViewSet(InventoryViewSet):
    perm_model = "stockitem"
    queryset = StockItem.objects.all()
    serializer_class = StockItemSerializer
    http_method_names = ["get", "post", "head", "options"]

    def list(self, request: Request) -> Response:
        params = {}
        if set(request.query_params) - {"cursor", "limit"}:
            filters = StockFilter(data=request.query_params)
            filters.is_valid(raise_exception=True)
            params = filters.validated_data
        queryset = selectors.stock_items(
            variant_id=params.get("variant"), location_id=params.get("location")
        )
        rows = self.paginated(queryset, BY_ID)
        return self.paginator.get_paginated_response(StockItemSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(StockItemSerializer(get_object_or_404(selectors.stock_items(), pk=pk)).data)

    @extend_schema(
        summary="Receive stock",
        description="Adds units at a location (the default one when none is given; it must be "
        "active). Answers with the stock row.",
        request=ReceiveSerializer,
        responses=StockItemSerializer,
    )
    @action(detail=False, methods=["post"], required_perms=CHANGE_STOCK)
    def receive(self, request: Request) -> Response:
        data = validated_input(ReceiveSerializer, request)
        item = services.stock_receive(actor=request.user, **data)
        return Response(_present(item))

    @extend_schema(
        summary="Adjust stock",
        description="Sets the on-hand count (`quantity`) or changes it (`delta`), with a "
        "required reason; reserved units cannot be taken away (`stock_reserved`).",
        request=AdjustSerializer,
        responses=StockItemSerializer,
    )
    @action(detail=False, methods=["post"], required_perms=CHANGE_STOCK)
    def adjust(self, request: Request) -> Response:
        data = validated_input(AdjustSerializer, request)
        item = services.stock_adjust(actor=request.user, **data)
        return Response(_present(item))

    @extend_schema(
        summary="Transfer stock between locations",
        description="Moves unreserved on-hand units, atomically (`stock_insufficient` when "
        "there are not enough).",
        request=TransferSerializer,
        responses=TransferResultSerializer,
    )
    @action(detail=False, methods=["post"], required_perms=CHANGE_STOCK)
    def transfer(self, request: Request) -> Response:
        data = validated_input(TransferSerializer, request)
        data.setdefault("from_location", None)
        data.setdefault("to_location", None)
        source, destination = services.stock_transfer(actor=request.user, **data)
        return Response({"source": _present(source), "destination": _present(destination)})

    @extend_schema(
        summary="Set a variant's stock policy",
        description="Tracked or not, backorders or not, low-stock threshold; fields left out "
        "stay as they are.",
        request=PolicyWriteSerializer,
        responses=PolicySerializer,
    )
    @action(detail=False, methods=["post"], required_perms=CHANGE_POLICY)
    def policy(self, request: Request) -> Response:
        data = validated_input(PolicyWriteSerializer, request)
        return Response(PolicySerializer(services.policy_update(**data)).data)
