"""The staff API of tax rates and the store's tax settings. Thin: serializers check shapes,
apps.tax.services do every write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.input import validated_input
from apps.core.api.staff import StaffModelPermission, StaffViewSet
from apps.tax import services
from apps.tax.api.serializers import (
    TaxRateSerializer,
    TaxRateWriteSerializer,
    TaxSettingsSerializer,
    TaxSettingsWriteSerializer,
)
from apps.tax.models import TaxRate


@extend_schema_view(
    list=extend_schema(summary="Tax rates"),
    retrieve=extend_schema(summary="A tax rate"),
    create=extend_schema(
        summary="Create a tax rate",
        request=TaxRateWriteSerializer,
        responses={201: TaxRateSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a tax rate", request=TaxRateWriteSerializer, responses=TaxRateSerializer
    ),
    destroy=extend_schema(summary="Delete a tax rate"),
)
class TaxRateViewSet(StaffViewSet):
    perm_app = "tax"
    perm_model = "taxrate"
    queryset = TaxRate.objects.all()
    serializer_class = TaxRateSerializer

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(TaxRate.objects.all())
        return self.get_paginated_response(TaxRateSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(TaxRateSerializer(get_object_or_404(TaxRate, pk=pk)).data)

    def create(self, request: Request) -> Response:
        tax_rate = services.tax_rate_create(**validated_input(TaxRateWriteSerializer, request))
        return Response(TaxRateSerializer(tax_rate).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        tax_rate = get_object_or_404(TaxRate, pk=pk)
        fields = validated_input(TaxRateWriteSerializer, request, partial=True)
        tax_rate = services.tax_rate_update(tax_rate=tax_rate, **fields)
        return Response(TaxRateSerializer(tax_rate).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.tax_rate_delete(tax_rate=get_object_or_404(TaxRate, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaxSettingsView(APIView):
    permission_classes = [StaffModelPermission]
    perm_app = "tax"
    perm_model = "taxsettings"
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(summary="The store's tax settings", responses=TaxSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(TaxSettingsSerializer(services.tax_settings_get()).data)

    @extend_schema(
        summary="Change the store's tax settings",
        request=TaxSettingsWriteSerializer,
        responses=TaxSettingsSerializer,
    )
    def patch(self, request: Request) -> Response:
        fields = validated_input(TaxSettingsWriteSerializer, request, partial=True)
        return Response(TaxSettingsSerializer(services.tax_settings_update(**fields)).data)
