"""A customer's saved addresses: reads and writes (the account's address book and the checkout's
"save this address").

Every address is validated and normalised per country by apps.core.addresses.address_validate
(all bad fields named at once). A customer has at most one default address (a partial unique
index); the first address saved becomes it, and deleting it hands the role to the most recently
used of the others. Changes to one customer's book are serialised on the customer's row, so two
tabs setting a default at once cannot trip over each other.

A customer only ever reaches their own addresses: every read filters on the customer, so
another customer's address id answers "not found" (a 404 on the storefront), never a leak.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.db import transaction

from apps.accounts.models import CustomerAddress, User
from apps.core.addresses import ADDRESS_FIELDS, Address, address_validate
from apps.core.exceptions import ApplicationError

# Enough for home, work and family; a limit so a script cannot grow one book without end.
MAX_ADDRESSES = 30


class AddressBookErrorCode(StrEnum):
    ADDRESS_NOT_FOUND = "address_not_found"
    ADDRESS_LIMIT = "address_limit_reached"


def customer_addresses(*, customer: User) -> list[CustomerAddress]:
    """The customer's addresses, the default first, then the most recently used. One query."""
    return list(CustomerAddress.objects.filter(customer_id=customer.pk))


def customer_address_get(*, customer: User, address_id: Any) -> CustomerAddress:
    """The customer's address `address_id`; another customer's (or none) is not found."""
    try:
        pk = int(address_id)
    except (TypeError, ValueError):
        pk = 0
    address = CustomerAddress.objects.filter(customer_id=customer.pk, pk=pk).first()
    if address is None:
        raise ApplicationError(
            "This address is not in your address book.",
            code=AddressBookErrorCode.ADDRESS_NOT_FOUND,
            status_code=404,
        )
    address.customer = customer  # already known: no query to load it again
    return address


def customer_address_default(*, customer: User) -> CustomerAddress | None:
    return CustomerAddress.objects.filter(customer_id=customer.pk, is_default=True).first()


def address_of(saved: CustomerAddress) -> Address:
    """The saved address as the value the checkout and orders pass around."""
    return Address(**{name: getattr(saved, name) for name in ADDRESS_FIELDS})


def _lock_book(customer: User) -> None:
    # The customer's row is the book's lock: default changes and the size limit are checked
    # one request at a time.
    User.objects.select_for_update().filter(pk=customer.pk).values_list("pk").first()


def _default_clear(customer: User, *, keep: CustomerAddress | None = None) -> None:
    others = CustomerAddress.objects.filter(customer_id=customer.pk, is_default=True)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False)


@transaction.atomic
def customer_address_create(
    *, customer: User, data: Mapping[str, Any], make_default: bool = False
) -> CustomerAddress:
    """Save a new address (ApplicationFieldErrors "address_invalid" names every bad field).
    An address the book already holds, field for field after normalising, is not saved twice:
    that one comes back (made the default if asked). The first address becomes the default."""
    address = address_validate(data)
    _lock_book(customer)
    book = CustomerAddress.objects.filter(customer_id=customer.pk)
    same = book.filter(**address.to_dict()).first()
    if same is not None:
        if make_default and not same.is_default:
            return _default_make(customer, same)
        same.save(update_fields=["updated"])  # most recently used first
        return same
    if book.count() >= MAX_ADDRESSES:
        raise ApplicationError(
            f"Your address book is full ({MAX_ADDRESSES} addresses): delete one first.",
            code=AddressBookErrorCode.ADDRESS_LIMIT,
            status_code=409,
        )
    is_default = make_default or not book.filter(is_default=True).exists()
    if is_default:
        _default_clear(customer)
    return CustomerAddress.objects.create(
        customer=customer, is_default=is_default, **address.to_dict()
    )


@transaction.atomic
def customer_address_update(
    *, saved: CustomerAddress, data: Mapping[str, Any], make_default: bool = False
) -> CustomerAddress:
    """Change a saved address (validated like a new one); `make_default` also makes it the
    default (an address stops being the default only when another one becomes it)."""
    address = address_validate(data)
    customer = saved.customer
    _lock_book(customer)
    for name, value in address.to_dict().items():
        setattr(saved, name, value)
    if make_default and not saved.is_default:
        _default_clear(customer, keep=saved)
        saved.is_default = True
    saved.save()
    return saved


def _default_make(customer: User, saved: CustomerAddress) -> CustomerAddress:
    _default_clear(customer, keep=saved)
    saved.is_default = True
    saved.save(update_fields=["is_default", "updated"])
    return saved


@transaction.atomic
def customer_address_default_set(*, saved: CustomerAddress) -> CustomerAddress:
    _lock_book(saved.customer)
    if saved.is_default:
        return saved
    return _default_make(saved.customer, saved)


@transaction.atomic
def customer_address_delete(*, saved: CustomerAddress) -> None:
    """Delete a saved address; if it was the default, the most recently used of the others
    becomes the default (a book with addresses always has one)."""
    customer = saved.customer
    _lock_book(customer)
    was_default = saved.is_default
    saved.delete()
    if was_default:
        successor = CustomerAddress.objects.filter(customer_id=customer.pk).first()
        if successor is not None:
            _default_make(customer, successor)
