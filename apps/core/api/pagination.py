"""Keyset ("cursor") pagination for every list endpoint: no COUNT(*), no OFFSET.

A page is `WHERE <sort key> after <the last row's key> ORDER BY <sort key> LIMIT n + 1`: each
page costs the same whatever its depth, and rows inserted or deleted between requests never
shift a page (no duplicates, no skipped rows). The sort key always ends with a unique column
(the id), so it is a total order.

The cursor is opaque to clients: base64url of `[ordering name, [key values]]`. A cursor from
another ordering, or one that was edited, is refused with `cursor_invalid` on `cursor`.

NULLs follow PostgreSQL's defaults (last when ascending, first when descending), so the ORDER BY
matches plain b-tree indexes; the "after" condition treats NULL as greater than every value.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core.exceptions import ApplicationError

CURSOR_PARAM = "cursor"
LIMIT_PARAM = "limit"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
CURSOR_INVALID = "cursor_invalid"
LIMIT_INVALID = "limit_invalid"


def _encode_int(value: Any) -> Any:
    return None if value is None else int(value)


def _decode_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def _encode_str(value: Any) -> Any:
    return None if value is None else str(value)


def _decode_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _decode_decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(value)
    try:
        decoded = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not decoded.is_finite():
        raise ValueError(value)
    return decoded


def _encode_datetime(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _decode_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(value)
    decoded = datetime.fromisoformat(value)
    if decoded.tzinfo is None:
        raise ValueError(value)
    return decoded


def _encode_float(value: Any) -> Any:
    # repr() of a float round-trips exactly, so the next page starts exactly after this row.
    return None if value is None else float(value)


def _decode_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(value)
    return float(value)


# kind -> (to JSON, from JSON); from JSON raises ValueError on anything it did not write.
_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "int": (_encode_int, _decode_int),
    "str": (_encode_str, _decode_str),
    "decimal": (_encode_str, _decode_decimal),
    "datetime": (_encode_datetime, _decode_datetime),
    "float": (_encode_float, _decode_float),
}


@dataclass(frozen=True)
class SortKey:
    """One column of a sort key: a field or annotation of the paginated queryset.

    `attr` is where the value sits on a row (a dict key or an attribute) when it differs from
    `field`; `nullable` says the column can hold NULL.
    """

    field: str
    kind: str = "int"
    descending: bool = False
    nullable: bool = False
    attr: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in _CODECS:
            raise ValueError(f"Unknown sort key kind {self.kind!r}.")

    def order_by(self) -> OrderBy:
        return F(self.field).desc() if self.descending else F(self.field).asc()

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.field}__isnull": True})
        return Q(**{self.field: value})

    def after(self, value: Any) -> Q | None:
        """Rows strictly after `value` in this column's order; None when there are none."""
        if value is None:
            # NULL sorts last ascending (nothing after it) and first descending.
            return Q(**{f"{self.field}__isnull": False}) if self.descending else None
        lookup = "lt" if self.descending else "gt"
        condition = Q(**{f"{self.field}__{lookup}": value})
        if self.nullable and not self.descending:
            condition |= Q(**{f"{self.field}__isnull": True})
        return condition


@dataclass(frozen=True)
class KeysetOrdering:
    """A named total order: its keys end with a unique column (normally the id)."""

    name: str
    keys: tuple[SortKey, ...]

    def order_by(self) -> list[OrderBy]:
        return [key.order_by() for key in self.keys]

    def after(self, values: Sequence[Any]) -> Q:
        """(k1 after v1) OR (k1 = v1 AND k2 after v2) OR ...: the rows after a row's key."""
        condition = Q(pk__in=[])
        prefix = Q()
        for key, value in zip(self.keys, values, strict=True):
            later = key.after(value)
            if later is not None:
                condition |= prefix & later
            prefix &= key.equal(value)
        return condition

    def row_key(self, row: Any) -> list[Any]:
        if isinstance(row, dict):
            return [row[key.attr or key.field] for key in self.keys]
        return [getattr(row, key.attr or key.field) for key in self.keys]

    def cursor_encode(self, row: Any) -> str:
        values = [
            _CODECS[key.kind][0](value)
            for key, value in zip(self.keys, self.row_key(row), strict=True)
        ]
        raw = json.dumps([self.name, values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def cursor_decode(self, cursor: str) -> list[Any]:
        invalid = ApplicationError(
            "This cursor is not valid for this list; start again without it.",
            code=CURSOR_INVALID,
            field=CURSOR_PARAM,
        )
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            name, values = json.loads(raw)
        except (binascii.Error, ValueError, TypeError):
            raise invalid from None
        if name != self.name or not isinstance(values, list) or len(values) != len(self.keys):
            raise invalid
        decoded = []
        for key, value in zip(self.keys, values, strict=True):
            if value is None:
                if not key.nullable:
                    raise invalid
                decoded.append(None)
                continue
            try:
                decoded.append(_CODECS[key.kind][1](value))
            except (ValueError, TypeError):
                raise invalid from None
        return decoded


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None


def keyset_slice(
    queryset: QuerySet, *, ordering: KeysetOrdering, cursor: str | None, limit: int
) -> QuerySet:
    """`queryset` after `cursor` in `ordering`, limit + 1 rows (the extra row says whether
    there is a next page); not evaluated, so a caller can wrap its SQL."""
    if cursor:
        queryset = queryset.filter(ordering.after(ordering.cursor_decode(cursor)))
    return queryset.order_by(*ordering.order_by())[: limit + 1]


def keyset_result(rows: list[Any], *, ordering: KeysetOrdering, limit: int) -> KeysetPage:
    """The page from keyset_slice's rows (at most limit + 1 of them, in order)."""
    if len(rows) <= limit:
        return KeysetPage(rows=rows, next_cursor=None)
    rows = rows[:limit]
    return KeysetPage(rows=rows, next_cursor=ordering.cursor_encode(rows[-1]))


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: KeysetOrdering,
    cursor: str | None,
    limit: int,
    fetch: Callable[[QuerySet], list[Any]] = list,
) -> KeysetPage:
    """One page of `queryset` in `ordering`, after `cursor`: one query of limit + 1 rows.

    `fetch` evaluates the sliced queryset (default: list()); a caller may run its own SQL
    around it, as long as the rows come back in order and carry the sort key's values."""
    sliced = keyset_slice(queryset, ordering=ordering, cursor=cursor, limit=limit)
    return keyset_result(fetch(sliced), ordering=ordering, limit=limit)


def limit_parse(raw: str | None, *, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= maximum:
        raise ApplicationError(
            f"Give a whole number from 1 to {maximum}.", code=LIMIT_INVALID, field=LIMIT_PARAM
        )
    return limit


ID_ORDERING = KeysetOrdering(name="id", keys=(SortKey("id"),))


class KeysetPagination(BasePagination):
    """DRF pagination class over keyset_page.

    The view may define `get_keyset_ordering(request) -> KeysetOrdering` (default: by id).
    The response is `{"next": <url or null>, "results": [...]}`; follow `next` until it is null.
    """

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        getter = getattr(view, "get_keyset_ordering", None)
        ordering = getter(request) if getter is not None else ID_ORDERING
        page = self.page(queryset, request=request, ordering=ordering)
        return page.rows

    def page(
        self,
        queryset: QuerySet,
        *,
        request: Request,
        ordering: KeysetOrdering,
        fetch: Callable[[QuerySet], list[Any]] = list,
    ) -> KeysetPage:
        limit = limit_parse(
            request.query_params.get(LIMIT_PARAM),
            default=self.default_limit,
            maximum=self.max_limit,
        )
        page = keyset_page(
            queryset,
            ordering=ordering,
            cursor=request.query_params.get(CURSOR_PARAM),
            limit=limit,
            fetch=fetch,
        )
        self.request = request
        self.next_cursor = page.next_cursor
        return page

    def next_url(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, CURSOR_PARAM, self.next_cursor)

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.next_url(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": LIMIT_PARAM,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_limit} "
                f"(default {self.default_limit}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_limit,
                    "default": self.default_limit,
                },
            },
        ]
