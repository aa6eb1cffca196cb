"""The payments API: the store's payment methods (public), payments for staff with their
actions (mark paid, capture, refund, void), and provider webhooks in.

Thin: input serializers check shapes, apps.payments.services do every write (their
ApplicationError is the one error shape). Lists use keyset pagination, newest first.
"""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.input import validated_input
from apps.core.api.pagination import KeysetOrdering, KeysetPagination, SortKey
from apps.payments import selectors, services
from apps.payments.api.permissions import PaymentPermission
from apps.payments.api.serializers import (
    MarkPaidSerializer,
    PaymentFilter,
    PaymentMethodSerializer,
    PaymentSerializer,
    RefundSerializer,
    VoidSerializer,
    WebhookOutcomeSerializer,
)
from apps.payments.models import Payment

ID_PATH = r"\d+"
NEWEST_FIRST = KeysetOrdering(name="newest", keys=(SortKey("id", descending=True),))
CHANGE_PAYMENT = ["payments.change_payment"]
REFUND_PAYMENT = ["payments.refund_payment"]


class PaymentMethodViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Payment methods",
        description="The ways to pay this store offers in its currency, in its order. "
        "Checkout takes a method's `code`.",
        responses=PaymentMethodSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        methods = services.payment_methods_available(currency=request.tenant.currency)
        data = PaymentMethodSerializer([asdict(m) for m in methods], many=True).data
        return Response({"next": None, "results": data})


@extend_schema_view(
    list=extend_schema(
        summary="Payments",
        description="Newest first, with their transactions; filter by order id or status.",
        parameters=[PaymentFilter],
    ),
    retrieve=extend_schema(summary="A payment, with its transactions"),
)
class PaymentViewSet(viewsets.GenericViewSet):
    permission_classes = [PaymentPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    queryset = Payment.objects.all()
    serializer_class = PaymentSerializer
    required_perms: list[str] | None = None

    def list(self, request: Request) -> Response:
        params = {}
        if set(request.query_params) - {"cursor", "limit"}:
            filters = PaymentFilter(data=request.query_params)
            filters.is_valid(raise_exception=True)
            params = filters.validated_data
        queryset = selectors.payments(order_id=params.get("order"), status=params.get("status"))
        rows = self.paginator.page(queryset, request=request, ordering=NEWEST_FIRST).rows
        return self.paginator.get_paginated_response(PaymentSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(PaymentSerializer(get_object_or_404(selectors.payments(), pk=pk)).data)

    def _answer(self, payment: Payment) -> Response:
        return Response(PaymentSerializer(selectors.payments().get(pk=payment.pk)).data)

    @extend_schema(
        summary="Mark a manual payment paid",
        description="Staff saw the money arrive (bank transfer, cash on delivery): the order "
        "becomes paid. Card payments are confirmed by their provider "
        "(`mark_paid_not_supported`); only a pending payment (`payment_not_pending`).",
        request=MarkPaidSerializer,
        responses=PaymentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="mark-paid", required_perms=CHANGE_PAYMENT)
    def mark_paid(self, request: Request, pk: str) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        data = validated_input(MarkPaidSerializer, request)
        return self._answer(services.payment_mark_paid(payment=payment, actor=request.user, **data))

    @extend_schema(
        summary="Capture an authorised payment",
        description="Takes the authorised amount; the order becomes paid.",
        request=None,
        responses=PaymentSerializer,
    )
    @action(detail=True, methods=["post"], required_perms=CHANGE_PAYMENT)
    def capture(self, request: Request, pk: str) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        return self._answer(services.payment_capture(payment=payment, actor=request.user))

    @extend_schema(
        summary="Refund a payment, in full or in part",
        description="Never more than captured and not yet refunded "
        "(`refund_exceeds_captured`). Needs payments.refund_payment.",
        request=RefundSerializer,
        responses=PaymentSerializer,
    )
    @action(detail=True, methods=["post"], required_perms=REFUND_PAYMENT)
    def refund(self, request: Request, pk: str) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        data = validated_input(RefundSerializer, request)
        payment = services.payment_refund(
            payment=payment,
            amount=data.get("amount"),
            reason=data.get("reason", ""),
            actor=request.user,
        )
        return self._answer(payment)

    @extend_schema(
        summary="Void a payment that took no money",
        description="A pending manual payment or an authorisation; the order is unpaid again.",
        request=VoidSerializer,
        responses=PaymentSerializer,
    )
    @action(detail=True, methods=["post"], required_perms=CHANGE_PAYMENT)
    def void(self, request: Request, pk: str) -> Response:
        payment = get_object_or_404(Payment, pk=pk)
        data = validated_input(VoidSerializer, request)
        return self._answer(services.payment_void(payment=payment, actor=request.user, **data))


class PaymentWebhookView(APIView):
    """Provider events in. No account: the provider's signature is the authentication (and
    DRF views are exempt from CSRF)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Webhook from a payment provider",
        description="Verified with the provider's signature (`webhook_signature_invalid`), "
        "applied once per event id (a repeat answers `duplicate`).",
        request=OpenApiTypes.BINARY,
        responses=WebhookOutcomeSerializer,
    )
    def post(self, request: Request, provider: str) -> Response:
        outcome = services.webhook_handle(
            provider_code=provider, body=request.body, headers=request.headers
        )
        return Response({"status": outcome.status, "event_id": outcome.event_id})
