"""The staff API of shipping zones and methods. Thin: serializers check shapes,
apps.shipping.services do every write. Shoppers' rates come through the checkout, not here."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.input import validated_input
from apps.core.api.staff import StaffViewSet
from apps.core.exceptions import ApplicationError
from apps.shipping import selectors, services
from apps.shipping.api.serializers import (
    ShippingMethodSerializer,
    ShippingMethodWriteSerializer,
    ShippingZoneSerializer,
    ShippingZoneWriteSerializer,
)
from apps.shipping.models import ShippingMethod, ShippingZone


@extend_schema_view(
    list=extend_schema(summary="Shipping zones", description="Every zone with its methods."),
    retrieve=extend_schema(summary="A shipping zone"),
    create=extend_schema(
        summary="Create a shipping zone",
        request=ShippingZoneWriteSerializer,
        responses={201: ShippingZoneSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a shipping zone",
        request=ShippingZoneWriteSerializer,
        responses=ShippingZoneSerializer,
    ),
    destroy=extend_schema(summary="Delete a shipping zone and its methods"),
)
class ShippingZoneViewSet(StaffViewSet):
    perm_app = "shipping"
    perm_model = "shippingzone"
    queryset = ShippingZone.objects.all()
    serializer_class = ShippingZoneSerializer

    def _present(self, pk: int) -> dict:
        return ShippingZoneSerializer(
            get_object_or_404(selectors.shipping_zones_with_methods(), pk=pk)
        ).data

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(selectors.shipping_zones_with_methods())
        return self.get_paginated_response(ShippingZoneSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._present(int(pk)))

    def create(self, request: Request) -> Response:
        zone = services.shipping_zone_create(
            **validated_input(ShippingZoneWriteSerializer, request)
        )
        return Response(self._present(zone.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        zone = get_object_or_404(ShippingZone, pk=pk)
        fields = validated_input(ShippingZoneWriteSerializer, request, partial=True)
        services.shipping_zone_update(zone=zone, **fields)
        return Response(self._present(zone.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.shipping_zone_delete(zone=get_object_or_404(ShippingZone, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _method_queryset():
    return ShippingMethod.objects.prefetch_related("brackets")


@extend_schema_view(
    list=extend_schema(
        summary="Shipping methods",
        parameters=[OpenApiParameter("zone", int, description="Only this zone's methods.")],
    ),
    retrieve=extend_schema(summary="A shipping method"),
    create=extend_schema(
        summary="Create a shipping method",
        request=ShippingMethodWriteSerializer,
        responses={201: ShippingMethodSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a shipping method (brackets: replaces them all)",
        request=ShippingMethodWriteSerializer,
        responses=ShippingMethodSerializer,
    ),
    destroy=extend_schema(summary="Delete a shipping method"),
)
class ShippingMethodViewSet(StaffViewSet):
    perm_app = "shipping"
    perm_model = "shippingmethod"
    queryset = ShippingMethod.objects.all()
    serializer_class = ShippingMethodSerializer

    def _present(self, pk: int) -> dict:
        return ShippingMethodSerializer(get_object_or_404(_method_queryset(), pk=pk)).data

    def list(self, request: Request) -> Response:
        queryset = _method_queryset()
        zone = request.query_params.get("zone")
        if zone is not None:
            if not zone.isdigit():
                raise ApplicationError("Give a zone id.", code="zone_invalid", field="zone")
            queryset = queryset.filter(zone_id=int(zone))
        rows = self.paginate_queryset(queryset)
        return self.get_paginated_response(ShippingMethodSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._present(int(pk)))

    def create(self, request: Request) -> Response:
        method = services.shipping_method_create(
            **validated_input(ShippingMethodWriteSerializer, request)
        )
        return Response(self._present(method.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        method = get_object_or_404(ShippingMethod, pk=pk)
        fields = validated_input(ShippingMethodWriteSerializer, request, partial=True)
        services.shipping_method_update(method=method, **fields)
        return Response(self._present(method.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.shipping_method_delete(method=get_object_or_404(ShippingMethod, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
