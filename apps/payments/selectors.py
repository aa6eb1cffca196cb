"""Reads of payments for the API and the admin (each a fixed number of queries)."""

from django.db.models import Prefetch, QuerySet

from apps.payments.models import Payment, PaymentTransaction


def payments(*, order_id: int | None = None, status: str | None = None) -> QuerySet[Payment]:
    """Payments with their order and transactions (3 queries for any number of rows)."""
    queryset = Payment.objects.select_related("order").prefetch_related(
        Prefetch("transactions", queryset=PaymentTransaction.objects.order_by("created", "id"))
    )
    if order_id is not None:
        queryset = queryset.filter(order_id=order_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset
