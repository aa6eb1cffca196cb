"""The staff API of vouchers and promotions: /api/v1/vouchers/, /api/v1/promotions/. Thin:
serializers check shapes, apps.discounts.services do every write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.input import validated_input
from apps.core.api.staff import StaffViewSet
from apps.discounts import selectors, services
from apps.discounts.api.serializers import (
    PromotionSerializer,
    PromotionWriteSerializer,
    VoucherSerializer,
    VoucherWriteSerializer,
)
from apps.discounts.models import Promotion, Voucher


class _DiscountsViewSet(StaffViewSet):
    # Staff of this store only, reads included: voucher codes are not public. Shoppers apply
    # codes through the cart, never here.
    perm_app = "discounts"


@extend_schema_view(
    list=extend_schema(summary="Vouchers", description="Every voucher code, newest last."),
    retrieve=extend_schema(summary="A voucher"),
    create=extend_schema(
        summary="Create a voucher",
        request=VoucherWriteSerializer,
        responses={201: VoucherSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a voucher", request=VoucherWriteSerializer, responses=VoucherSerializer
    ),
    destroy=extend_schema(summary="Delete a voucher no order used"),
)
class VoucherViewSet(_DiscountsViewSet):
    perm_model = "voucher"
    queryset = Voucher.objects.all()
    serializer_class = VoucherSerializer

    def _present(self, pk: int) -> dict:
        return VoucherSerializer(get_object_or_404(selectors.vouchers_for_staff(), pk=pk)).data

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(selectors.vouchers_for_staff())
        return self.get_paginated_response(VoucherSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._present(int(pk)))

    def create(self, request: Request) -> Response:
        voucher = services.voucher_create(**validated_input(VoucherWriteSerializer, request))
        return Response(self._present(voucher.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        voucher = get_object_or_404(Voucher, pk=pk)
        services.voucher_update(
            voucher=voucher, **validated_input(VoucherWriteSerializer, request, partial=True)
        )
        return Response(self._present(voucher.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.voucher_delete(voucher=get_object_or_404(Voucher, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Automatic promotions"),
    retrieve=extend_schema(summary="A promotion"),
    create=extend_schema(
        summary="Create a promotion",
        request=PromotionWriteSerializer,
        responses={201: PromotionSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a promotion",
        request=PromotionWriteSerializer,
        responses=PromotionSerializer,
    ),
    destroy=extend_schema(summary="Delete a promotion"),
)
class PromotionViewSet(_DiscountsViewSet):
    perm_model = "promotion"
    queryset = Promotion.objects.all()
    serializer_class = PromotionSerializer

    def _present(self, pk: int) -> dict:
        return PromotionSerializer(get_object_or_404(selectors.promotions_for_staff(), pk=pk)).data

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(selectors.promotions_for_staff())
        return self.get_paginated_response(PromotionSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._present(int(pk)))

    def create(self, request: Request) -> Response:
        promotion = services.promotion_create(**validated_input(PromotionWriteSerializer, request))
        return Response(self._present(promotion.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        promotion = get_object_or_404(Promotion, pk=pk)
        services.promotion_update(
            promotion=promotion, **validated_input(PromotionWriteSerializer, request, partial=True)
        )
        return Response(self._present(promotion.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        services.promotion_delete(promotion=get_object_or_404(Promotion, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
