"""Every write to a cart: create, add, change and remove lines, apply a voucher, merge an
anonymous cart into a customer's at login, close a cart that became an order.

Quantities are checked against the inventory (apps.inventory.selectors.availability) with a
message a shopper can act on ("Only 3 left of Linen Shirt."). Each write locks the cart's row
first, so two tabs adding at once cannot lose an update. Prices are never stored: see
apps.cart.selectors.cart_view.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.cart import selectors
from apps.cart.errors import CartErrorCode as Code
from apps.cart.models import Cart, CartLine
from apps.catalog.models import Product, Variant
from apps.core.exceptions import ApplicationError
from apps.discounts.models import Voucher
from apps.discounts.pricing import discounts_calculate
from apps.discounts.selectors import promotion_rules_running
from apps.discounts.services import voucher_check
from apps.inventory.selectors import Availability, availability

MAX_LINE_QUANTITY = 999


def _customer_id(customer: Any) -> int | None:
    if customer is None or not getattr(customer, "is_authenticated", False):
        return None
    return customer.pk


def cart_create(*, customer: Any = None, email: str = "") -> Cart:
    """A new cart with a fresh unguessable token; for a customer, their open cart if they have
    one (one per customer: the database's constraint settles a race)."""
    customer_id = _customer_id(customer)
    if customer_id is None:
        return Cart.objects.create(email=email)
    existing = selectors.cart_of_customer(customer=customer)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Cart.objects.create(customer_id=customer_id, email=email)
    except IntegrityError:
        found = selectors.cart_of_customer(customer=customer)
        if found is None:
            raise
        return found


def cart_get_or_create(*, token: str | None = None, customer: Any = None) -> Cart:
    """The cart a shopper is using: a signed-in customer's own open cart; otherwise the open
    anonymous cart with `token`; otherwise a new one. A new cart never takes the caller's token
    (a token is always made here), so nobody can plant a cart id on someone else."""
    if _customer_id(customer) is not None:
        return cart_create(customer=customer)
    found = selectors.cart_find(token=token or "", customer=None)
    return found if found is not None else cart_create()


def _locked(cart: Cart) -> Cart:
    locked = Cart.objects.select_for_update().filter(pk=cart.pk).first()
    if locked is None:
        raise ApplicationError(
            "This cart no longer exists.", code=Code.CART_NOT_FOUND, status_code=404
        )
    if locked.closed_at is not None:
        raise ApplicationError(
            "This cart became an order and can no longer change.",
            code=Code.CART_CLOSED,
            status_code=409,
        )
    return locked


def _touch(cart: Cart) -> None:
    # `updated` orders carts for clean-up and tells the checkout the cart changed.
    cart.save(update_fields=["updated"])


def quantity_clean(value: Any, *, allow_zero: bool = False) -> int:
    lowest = 0 if allow_zero else 1
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not lowest <= number <= MAX_LINE_QUANTITY:
        raise ApplicationError(
            f"Enter a whole number from {lowest} to {MAX_LINE_QUANTITY}.",
            code=Code.QUANTITY_INVALID,
            field="quantity",
        )
    return number


def _title(variant: Variant) -> str:
    return f"{variant.product.name} ({variant.name})" if variant.name else variant.product.name


def _buyable_variant(variant_id: Any) -> tuple[Variant, Availability]:
    """The variant, if a shopper can buy it at all now, and its availability."""
    if isinstance(variant_id, bool) or not str(variant_id).strip().isdigit():
        variant = None
    else:
        variant = Variant.objects.select_related("product").filter(pk=int(variant_id)).first()
    if variant is None:
        raise ApplicationError(
            "This product does not exist (any more).", code=Code.VARIANT_NOT_FOUND, field="variant"
        )
    stock = availability(variant_ids=[variant.pk]).get(variant.pk)
    if variant.product.status != Product.Status.PUBLISHED or stock is None:
        raise ApplicationError(
            f"{_title(variant)} is not available.", code=Code.VARIANT_UNAVAILABLE, field="variant"
        )
    if not stock.in_stock:
        raise ApplicationError(
            f"{_title(variant)} is out of stock.", code=Code.OUT_OF_STOCK, field="variant"
        )
    return variant, stock


def _quantity_check(variant: Variant, stock: Availability, quantity: int, *, had: int) -> None:
    if stock.available is None or stock.backorderable or quantity <= stock.available:
        return
    left = max(stock.available, 0)
    already = f" and your cart already has {had}" if had else ""
    raise ApplicationError(
        f"Only {left} left of {_title(variant)}{already}.",
        code=Code.QUANTITY_UNAVAILABLE,
        field="quantity",
        extra={"available": left},
    )


@transaction.atomic
def cart_line_add(*, cart: Cart, variant_id: int, quantity: int = 1) -> CartLine:
    """Add `quantity` units of a variant: to its line when the cart has one, else a new line.
    Refused when the variant cannot be bought, or when the line's new quantity is more than
    the units available (unless the variant takes backorders)."""
    quantity = quantity_clean(quantity)
    cart = _locked(cart)
    variant, stock = _buyable_variant(variant_id)
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    had = line.quantity if line else 0
    total = had + quantity
    if total > MAX_LINE_QUANTITY:
        raise ApplicationError(
            f"A line holds at most {MAX_LINE_QUANTITY} units; your cart already has {had}.",
            code=Code.QUANTITY_INVALID,
            field="quantity",
        )
    _quantity_check(variant, stock, total, had=had)
    if line is None:
        line = CartLine.objects.create(
            cart=cart,
            variant=variant,
            quantity=total,
            product_name=variant.product.name,
            variant_name=variant.name,
            sku=variant.sku,
        )
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    _touch(cart)
    return line


def _line(cart: Cart, line_id: Any) -> CartLine:
    line = None
    if not isinstance(line_id, bool) and str(line_id).strip().isdigit():
        line = (
            CartLine.objects.select_related("variant__product")
            .filter(cart=cart, pk=int(line_id))
            .first()
        )
    if line is None:
        raise ApplicationError(
            "This line is not in your cart.", code=Code.LINE_NOT_FOUND, status_code=404
        )
    return line


@transaction.atomic
def cart_line_set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes the line (None returned). A higher quantity must be
    available; a lower one always goes through, so a shopper can fix a line that is over."""
    quantity = quantity_clean(quantity, allow_zero=True)
    cart = _locked(cart)
    line = _line(cart, line_id)
    if quantity == 0:
        line.delete()
        _touch(cart)
        return None
    if quantity > line.quantity:
        if line.variant_id is None:
            raise ApplicationError(
                f"{line.product_name} is no longer available.",
                code=Code.VARIANT_UNAVAILABLE,
                field="quantity",
            )
        variant, stock = _buyable_variant(line.variant_id)
        _quantity_check(variant, stock, quantity, had=0)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    _touch(cart)
    return line


@transaction.atomic
def cart_line_remove(*, cart: Cart, line_id: int) -> None:
    cart = _locked(cart)
    _line(cart, line_id).delete()
    _touch(cart)


@transaction.atomic
def cart_voucher_apply(*, cart: Cart, code: str) -> Voucher:
    """Apply a voucher code to the cart, after apps.discounts.services.voucher_check said yes
    for this cart as it is now (its subtotal after promotions, its lines, the shopper's earlier
    orders). A refusal keeps the cart's current code and says why (codes of
    apps.discounts.errors)."""
    if not (code or "").strip():
        raise ApplicationError("Enter a voucher code.", code=Code.VOUCHER_REQUIRED, field="code")
    cart = _locked(cart)
    lines = selectors.cart_priced_lines(cart)
    currency = selectors.store_currency()
    promotions = discounts_calculate(
        lines=lines, voucher=None, currency=currency, promotions=promotion_rules_running()
    )
    subtotal = sum((line.subtotal for line in lines), Decimal(0)) - promotions.total
    voucher = voucher_check(
        code=code,
        subtotal=subtotal,
        email=cart.email,
        customer=cart.customer_id,
        lines=lines,
    )
    cart.voucher_code = voucher.code
    cart.save(update_fields=["voucher_code", "updated"])
    return voucher


@transaction.atomic
def cart_voucher_remove(*, cart: Cart) -> None:
    cart = _locked(cart)
    cart.voucher_code = ""
    cart.save(update_fields=["voucher_code", "updated"])


@transaction.atomic
def cart_delete(*, cart: Cart) -> None:
    Cart.objects.filter(pk=cart.pk, closed_at__isnull=True).delete()


@transaction.atomic
def cart_close(*, cart: Cart) -> None:
    """Mark the cart as ordered (the checkout calls it inside the order's transaction): it is
    kept read-only, and the customer's next cart is a new one."""
    Cart.objects.filter(pk=cart.pk, closed_at__isnull=True).update(closed_at=timezone.now())


@dataclass(frozen=True)
class MergeResult:
    cart: Cart
    messages: list[str]


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> MergeResult:
    """Move the anonymous cart `source` into the customer's cart `target` (at login).

    Lines of the same variant are added together, then capped to the units available (never
    below what `target` had already), with a message for each capped line. Lines that cannot
    be bought now (deleted, unpublished or out of stock) move over as they are and stay flagged
    in the cart. The source's voucher code and email fill the target's when it has none. The
    source cart is deleted.
    """
    if source.pk == target.pk:
        return MergeResult(cart=target, messages=[])
    # Both rows locked in id order: two logins merging into each other cannot deadlock.
    locked = {
        cart.pk: cart
        for cart in Cart.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk], closed_at__isnull=True)
        .order_by("pk")
    }
    if target.pk not in locked:
        _locked(target)  # says why: gone, or already an order
    if source.pk not in locked:
        return MergeResult(cart=locked[target.pk], messages=[])
    source, target = locked[source.pk], locked[target.pk]
    incoming = list(CartLine.objects.filter(cart=source).select_related("variant__product"))
    existing = {line.variant_id: line for line in CartLine.objects.filter(cart=target)}
    stock = availability(variant_ids=[line.variant_id for line in incoming if line.variant_id])
    messages = []
    for line in incoming:
        mine = existing.get(line.variant_id) if line.variant_id else None
        had = mine.quantity if mine else 0
        wanted = min(had + line.quantity, MAX_LINE_QUANTITY)
        info = stock.get(line.variant_id)
        capped = wanted
        if (
            info is not None
            and info.in_stock
            and info.available is not None
            and not info.backorderable
            and wanted > info.available
        ):
            capped = max(info.available, had)
            messages.append(
                f"Only {info.available} left of {_title(line.variant)}: your cart has {capped}."
            )
        if mine is not None:
            if capped != had:
                mine.quantity = capped
                mine.save(update_fields=["quantity"])
        elif capped > 0:
            line.cart = target
            line.quantity = capped
            line.save(update_fields=["cart", "quantity"])
    if not target.voucher_code and source.voucher_code:
        target.voucher_code = source.voucher_code
    if not target.email and source.email:
        target.email = source.email
    target.save(update_fields=["voucher_code", "email", "updated"])
    source.delete()
    return MergeResult(cart=target, messages=messages)


def cart_merge_for_login(*, token: str, customer: Any) -> MergeResult | None:
    """At login: the anonymous cart `token` names merged into the customer's open cart
    (created for it when they have none). None when there is no such anonymous cart."""
    source = selectors.cart_find(token=token, customer=None)
    if source is None or source.customer_id is not None:
        return None
    with transaction.atomic():
        target = cart_create(customer=customer)
        return cart_merge(source=source, target=target)


def cart_email_set(*, cart: Cart, email: str) -> Cart:
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                "Enter a valid email address.", code=Code.EMAIL_INVALID, field="email"
            ) from None
    with transaction.atomic():
        cart = _locked(cart)
        cart.email = email
        cart.save(update_fields=["email", "updated"])
    return cart


ABANDONED_AFTER_DAYS = 30
ABANDONED_BATCH = 500


def carts_abandoned_delete(
    *, now=None, days: int = ABANDONED_AFTER_DAYS, batch: int = ABANDONED_BATCH
) -> int:
    """Delete guests' open carts (and their lines and checkouts) untouched for `days`: a guest
    comes back through a cookie that long at most, and nothing else refers to them. Signed-in
    customers' carts stay (they find theirs on any device), as do closed ones (history). In
    batches, each its own transaction; how many carts went."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Cart.objects.filter(
                    customer__isnull=True, closed_at__isnull=True, updated__lt=cutoff
                )
                .order_by("updated")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return deleted
            Cart.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
