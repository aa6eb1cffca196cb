"""Stable error codes of orders (the API's `code`)."""

from enum import StrEnum


class OrderErrorCode(StrEnum):
    ORDER_NOT_FOUND = "order_not_found"
    ORDER_ALREADY_PAID = "order_already_paid"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_NOT_CANCELLABLE = "order_not_cancellable"
