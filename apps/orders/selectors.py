"""Reads of orders."""

from collections.abc import Sequence

from apps.orders.models import Order, OrderLine


def order_lines_known(order: Order, lines: Sequence[OrderLine]) -> None:
    """Let `order.lines.all()` answer with `lines` (the order's lines, in position order,
    just written by the caller) without a query, as a prefetch would: whoever presents the
    order right after placing it (the API's answer, the confirmation page) reads none of
    them again."""
    queryset = order.lines.all()
    # What prefetch_related_objects stores: a queryset whose results are already known.
    queryset._result_cache = list(lines)
    queryset._prefetch_done = True
    cache = getattr(order, "_prefetched_objects_cache", None)
    if cache is None:
        cache = order._prefetched_objects_cache = {}
    cache["lines"] = queryset
