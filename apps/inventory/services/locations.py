"""Stock locations: the lazily created default one, and the merchant's own."""

import re
from typing import Any

from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.inventory.errors import InventoryErrorCode
from apps.inventory.models import StockItem, StockLocation, StockMovement

DEFAULT_NAME = "Main warehouse"
DEFAULT_CODE = "main"
_CODE_RE = re.compile(r"^[-a-z0-9_]+$")
CODE_MAX = StockLocation._meta.get_field("code").max_length
NAME_MAX = StockLocation._meta.get_field("name").max_length
_UPDATABLE = {"name", "code", "is_active", "position", "address", "is_default"}


def location_default() -> StockLocation:
    """The store's default location, created on first use.

    Not a data migration: store schemas are cloned from a template, and a store may have
    removed or renamed whatever a migration would have made. Two first uses at once both try
    the insert; the partial unique index lets one win and the other reads the winner's row.
    """
    location = StockLocation.objects.filter(is_default=True).first()
    if location is not None:
        return location
    taken = set(
        StockLocation.objects.filter(code__startswith=DEFAULT_CODE).values_list("code", flat=True)
    )
    code, n = DEFAULT_CODE, 2
    while code in taken:  # the merchant used "main" for another location
        code, n = f"{DEFAULT_CODE}-{n}", n + 1
    try:
        with transaction.atomic():
            return StockLocation.objects.create(
                name=DEFAULT_NAME, code=code, is_default=True, is_active=True
            )
    except IntegrityError:
        location = StockLocation.objects.filter(is_default=True).first()
        if location is None:
            raise
        return location


def _name_clean(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise ApplicationError(
            f"Enter a name of 1 to {NAME_MAX} characters.",
            code=InventoryErrorCode.LOCATION_NAME_REQUIRED,
            field="name",
        )
    return name


def _code_clean(code: str | None, *, exclude_pk: int | None = None) -> str:
    code = (code or "").strip().lower()
    if not code or not _CODE_RE.match(code) or len(code) > CODE_MAX:
        raise ApplicationError(
            f"Use 1 to {CODE_MAX} lower-case letters, digits, hyphens and underscores.",
            code=InventoryErrorCode.LOCATION_CODE_INVALID,
            field="code",
        )
    taken = StockLocation.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _code_taken(code)
    return code


def _code_taken(code: str) -> ApplicationError:
    return ApplicationError(
        f"The code “{code}” is already used by another location.",
        code=InventoryErrorCode.LOCATION_CODE_TAKEN,
        field="code",
    )


def _save(location: StockLocation) -> StockLocation:
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError as exc:
        if "inventory_location_one_default" in str(exc):
            raise ApplicationError(
                "Another location became the default at the same moment; try again.",
                code=InventoryErrorCode.LOCATION_DEFAULT_LOCKED,
                field="is_default",
            ) from exc
        if "code" in str(exc):
            raise _code_taken(location.code) from exc
        raise
    return location


def _default_move_to(location: StockLocation) -> None:
    # Lock the current default first: two concurrent moves queue up instead of both clearing it.
    StockLocation.objects.select_for_update().filter(is_default=True).exclude(
        pk=location.pk
    ).update(is_default=False)
    location.is_default = True


@transaction.atomic
def location_create(
    *,
    name: str,
    code: str,
    is_active: bool = True,
    position: int = 0,
    address: str = "",
    is_default: bool = False,
) -> StockLocation:
    location = StockLocation(
        name=_name_clean(name),
        code=_code_clean(code),
        is_active=bool(is_active),
        position=max(int(position or 0), 0),
        address=(address or "").strip(),
    )
    if is_default:
        if not location.is_active:
            raise _default_inactive()
        _default_move_to(location)
    return _save(location)


def _default_inactive() -> ApplicationError:
    return ApplicationError(
        "The default location must stay active; make another location the default first.",
        code=InventoryErrorCode.LOCATION_DEFAULT_LOCKED,
        field="is_active",
    )


@transaction.atomic
def location_update(*, location: StockLocation, **fields: Any) -> StockLocation:
    """Change a location. `is_default=True` makes it the default (the old one stops being
    it); the default cannot be unset directly, nor deactivated."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise TypeError(f"location_update cannot change {', '.join(sorted(unknown))}.")
    location = StockLocation.objects.select_for_update().get(pk=location.pk)
    if "name" in fields:
        location.name = _name_clean(fields["name"])
    if "code" in fields:
        location.code = _code_clean(fields["code"], exclude_pk=location.pk)
    if "position" in fields:
        location.position = max(int(fields["position"] or 0), 0)
    if "address" in fields:
        location.address = (fields["address"] or "").strip()
    if "is_active" in fields:
        location.is_active = bool(fields["is_active"])
    if "is_default" in fields:
        if fields["is_default"] and not location.is_default:
            _default_move_to(location)
        elif not fields["is_default"] and location.is_default:
            raise ApplicationError(
                "A store always has a default location: make another one the default instead.",
                code=InventoryErrorCode.LOCATION_DEFAULT_LOCKED,
                field="is_default",
            )
    if location.is_default and not location.is_active:
        raise _default_inactive()
    return _save(location)


@transaction.atomic
def location_delete(*, location: StockLocation) -> None:
    """Delete a location that never held stock. One with stock rows or history is
    deactivated instead (the ledger keeps pointing at it)."""
    location = StockLocation.objects.select_for_update().get(pk=location.pk)
    if location.is_default:
        raise ApplicationError(
            "The default location cannot be deleted.",
            code=InventoryErrorCode.LOCATION_DEFAULT_LOCKED,
            field=None,
        )
    if (
        StockItem.objects.filter(location=location).exists()
        or StockMovement.objects.filter(location=location).exists()
    ):
        raise ApplicationError(
            "This location has stock or history; deactivate it instead.",
            code=InventoryErrorCode.LOCATION_IN_USE,
            field=None,
        )
    location.delete()
