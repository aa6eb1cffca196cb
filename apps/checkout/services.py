"""The checkout: what the shopper tells us, step by step, and placing the order.

Steps (storefront pages and the API alike): contact email, shipping address, shipping method
(rates from the zone of the address), payment method, review, complete. Each step's input is
checked when it is given; `checkout_complete` checks everything again, prices it all again on
the server (apps.checkout.pricing) and places the order in ONE transaction (order_place):

    the Order row (its idempotency key is unique: the same key can never make a second order)
    -> stock reserved for every line, rows locked in id order (apps.inventory)
    -> the voucher's use counted (apps.discounts, conditional UPDATE under its row lock)
    -> lines, prices, discounts, tax and shipping frozen into Order / OrderLine
    -> the cart emptied, the confirmation email queued for after the commit.

Any refusal (sold out, voucher used up, a method no longer available) rolls all of it back.
The payment runs after the commit (a card provider may be a network call), through
apps.payments; an order whose card payment does not go through stays "awaiting payment" and
holds its stock for the store's reservation time (apps.checkout.expiry).
"""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.cart.models import Cart, CartLine
from apps.checkout.errors import CheckoutErrorCode
from apps.checkout.models import Checkout, CheckoutSettings
from apps.checkout.pricing import CheckoutPrice, LineInput, checkout_price
from apps.checkout.selectors import CartForOrder, cart_for_order
from apps.core.addresses import Address, address_validate
from apps.core.exceptions import ApplicationError
from apps.core.sql import rows_insert
from apps.discounts.pricing import PricedLine
from apps.discounts.selectors import promotion_rules_running, voucher_rule
from apps.discounts.services import voucher_check, voucher_redeem
from apps.inventory.services import stock_reserve
from apps.orders.confirmations import order_confirmation_queue_on_commit
from apps.orders.models import ORDER_NUMBER_OFFSET, Order, OrderLine
from apps.orders.selectors import order_lines_known
from apps.orders.services import order_event_add, stock_reference
from apps.payments.services import payment_methods_available, payment_start_with_order
from apps.shipping.providers.base import ShippingRate
from apps.shipping.services import shipping_rates

IDEMPOTENCY_KEY_MAX = 100
MANUAL_PROVIDERS = frozenset({"manual"})


def checkout_settings() -> CheckoutSettings:
    """The store's checkout settings, the row made on first use. From the store's
    configuration memo (apps.core.store_config): no query when warm. Each call gets its own
    instance, built as if loaded, so a caller may change and save it."""
    from apps.core.store_config import store_config_row, store_memo

    names = [field.attname for field in CheckoutSettings._meta.concrete_fields]

    def load() -> tuple:
        settings = store_config_row(CheckoutSettings, singleton=True)
        return tuple(getattr(settings, name) for name in names)

    values = store_memo("checkout.settings", load)
    return CheckoutSettings.from_db(connection.alias, names, values)


# --- the checkout's state -------------------------------------------------------------------


def checkout_for_cart(*, cart: Cart, customer=None) -> Checkout:
    """The cart's checkout (created on first use), with a signed-in customer's email."""
    checkout, _ = Checkout.objects.get_or_create(cart=cart)
    if customer is not None and customer.is_authenticated and checkout.customer_id is None:
        checkout.customer = customer
        checkout.email = checkout.email or customer.email
        checkout.save(update_fields=["customer", "email", "updated"])
    return checkout


def _email_clean(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise ApplicationError(
            "Enter your email address.", code=CheckoutErrorCode.EMAIL_REQUIRED, field="email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            "Enter a valid email address.", code=CheckoutErrorCode.EMAIL_INVALID, field="email"
        ) from None
    return email


def _provider_clean(code: str, *, currency: str) -> str:
    if not code:
        raise ApplicationError(
            "Choose how you want to pay.",
            code=CheckoutErrorCode.PAYMENT_METHOD_REQUIRED,
            field="payment_method",
        )
    if code not in {method.code for method in payment_methods_available(currency=currency)}:
        raise ApplicationError(
            "This payment method is not available; choose another.",
            code=CheckoutErrorCode.PAYMENT_METHOD_UNAVAILABLE,
            field="payment_method",
        )
    return code


_UNSET: Any = object()


@transaction.atomic
def checkout_update(
    *,
    checkout: Checkout,
    currency: str,
    email: str = _UNSET,
    shipping_address: dict | None = _UNSET,
    billing_address: dict | None = _UNSET,
    shipping_method_id: str = _UNSET,
    payment_method: str = _UNSET,
    customer_note: str = _UNSET,
) -> Checkout:
    """Record one or more steps. Addresses are validated per country (every bad field named
    at once, as "shipping_address.<field>"); a shipping method must be one the address can
    have for this cart; a new address drops a method that no longer applies."""
    changed: list[str] = []
    if email is not _UNSET:
        checkout.email = _email_clean(email)
        changed.append("email")
    if shipping_address is not _UNSET:
        address = _address_clean(shipping_address, prefix="shipping_address")
        checkout.shipping_address = address.to_dict() if address else None
        changed.append("shipping_address")
    if billing_address is not _UNSET:
        address = _address_clean(billing_address, prefix="billing_address")
        checkout.billing_address = address.to_dict() if address else None
        changed.append("billing_address")
    if customer_note is not _UNSET:
        checkout.customer_note = (customer_note or "").strip()[:2000]
        changed.append("customer_note")
    if payment_method is not _UNSET:
        checkout.payment_provider = _provider_clean(payment_method, currency=currency)
        changed.append("payment_provider")
    if shipping_method_id is not _UNSET:
        checkout.shipping_method_id = shipping_method_id or ""
        changed.append("shipping_method_id")
    if checkout.shipping_method_id and (
        "shipping_method_id" in changed or "shipping_address" in changed
    ):
        try:
            # Priced now: a method the address or the cart cannot have is refused here.
            checkout_price_get(checkout=checkout, currency=currency)
        except ApplicationError:
            if "shipping_method_id" in changed:
                raise
            checkout.shipping_method_id = ""  # the new address has no such method
    checkout.save()
    return checkout


def _address_clean(data: dict | None, *, prefix: str) -> Address | None:
    if data is None:
        return None
    try:
        return address_validate(data)
    except ApplicationError as error:
        prefixed = getattr(error, "prefixed", None)
        if prefixed is not None:
            raise prefixed(prefix) from None
        error.field = f"{prefix}.{error.field}" if error.field else prefix
        raise


# --- reading a checkout ---------------------------------------------------------------------


def checkout_lines(checkout: Checkout) -> list[LineInput]:
    return [
        LineInput(key=str(line_id), variant_id=variant_id, quantity=quantity)
        for line_id, variant_id, quantity in checkout.cart.lines.order_by("id").values_list(
            "id", "variant_id", "quantity"
        )
    ]


def _voucher_for(checkout: Checkout, *, strict: bool, code: str | None = None):
    """The cart's voucher (None without one). `strict` (when placing the order) re-checks it
    and lets its refusal through; otherwise a voucher that no longer applies simply gives
    nothing. `code`: the cart's code as the caller just read it (default: checkout.cart's)."""
    code = checkout.cart.voucher_code if code is None else code
    if not code:
        return None
    try:
        voucher = voucher_check(
            code=code,
            subtotal=None,
            email=checkout.email,
            customer=checkout.customer,
        )
    except ApplicationError:
        if strict:
            raise
        return None
    return voucher


def checkout_price_get(*, checkout: Checkout, currency: str) -> CheckoutPrice:
    """The checkout priced now (lines, discounts, shipping for its address and method, tax)."""
    voucher = _voucher_for(checkout, strict=False)
    address = Address.from_dict(checkout.shipping_address) if checkout.shipping_address else None
    return checkout_price(
        lines=checkout_lines(checkout),
        currency=currency,
        voucher=voucher_rule(voucher) if voucher else None,
        promotions=promotion_rules_running(),
        address=address,
        shipping_method_id=checkout.shipping_method_id,
    )


def checkout_shipping_options(
    *, checkout: Checkout, currency: str, price: CheckoutPrice | None = None
) -> list[ShippingRate]:
    """The ways to ship this cart to the checkout's address (none without one), each at what
    choosing it would cost: the package is the goods after every discount, the voucher's too,
    as checkout_price prices the chosen method (a "free over 50" method is shown free only when
    it will be), and a free-shipping voucher makes every one free. `price`: this checkout as
    checkout_price_get just priced it (its goods are the same whatever the method), so the
    cart is not priced a second time."""
    if not checkout.shipping_address:
        return []
    from apps.shipping.providers.base import Package

    if price is None:
        voucher = _voucher_for(checkout, strict=False)
        price = checkout_price(
            lines=checkout_lines(checkout),
            currency=currency,
            voucher=voucher_rule(voucher) if voucher else None,
            promotions=promotion_rules_running(),
        )
    package = Package(
        subtotal=price.subtotal - price.discount_total,
        weight_grams=price.weight_grams,
        currency=currency,
        item_count=price.item_count,
    )
    rates = shipping_rates(address=Address.from_dict(checkout.shipping_address), package=package)
    if price.free_shipping:
        rates = [replace(rate, amount=rate.amount * 0) for rate in rates]
    return rates


# --- placing the order ----------------------------------------------------------------------


class _CartGone(Exception):
    """The checkout's cart is no longer there: its order was placed (by this key or another)."""


def idempotency_key_clean(key: str | None) -> str:
    key = (key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ApplicationError(
            f"Send an Idempotency-Key of 1 to {IDEMPOTENCY_KEY_MAX} printable characters.",
            code=CheckoutErrorCode.IDEMPOTENCY_KEY_INVALID,
            field="idempotency_key",
        )
    return key


def _ready_check(checkout: Checkout, lines: list[LineInput]) -> None:
    if not lines:
        raise ApplicationError(
            "Your cart is empty.", code=CheckoutErrorCode.CART_EMPTY, field="cart"
        )
    _email_clean(checkout.email)
    if not checkout.shipping_address:
        raise ApplicationError(
            "Enter a shipping address.",
            code=CheckoutErrorCode.SHIPPING_ADDRESS_REQUIRED,
            field="shipping_address",
        )
    if not checkout.shipping_method_id:
        raise ApplicationError(
            "Choose a shipping method.",
            code=CheckoutErrorCode.SHIPPING_METHOD_REQUIRED,
            field="shipping_method",
        )
    if not checkout.payment_provider:
        raise ApplicationError(
            "Choose how you want to pay.",
            code=CheckoutErrorCode.PAYMENT_METHOD_REQUIRED,
            field="payment_method",
        )


def _payment_data_check(provider, payment_data: dict | None) -> None:
    """Card details are checked before the order exists (after the steps, so a missing step
    is named first): a typo must not leave an unpaid order behind (a decline, which only the
    provider knows, still can)."""
    if provider is None or not provider.needs_card:
        return
    try:
        provider.payment_data_clean(payment_data or {})
    except ApplicationError as error:
        prefixed = getattr(error, "prefixed", None)
        raise (prefixed("payment_data") if prefixed else error) from None


def _next_order_id() -> int:
    # The order's id is taken first so its stock reservations can name it; the number the
    # shopper sees is the id plus ORDER_NUMBER_OFFSET (#1001, #1002... in each store).
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Order._meta.db_table])
        return cursor.fetchone()[0]


def _order_with_key(key: str) -> Order | None:
    return Order.objects.filter(idempotency_key=key).first()


def _placed_with(key: str, checkout: Checkout) -> Order | None:
    """The order this key placed for this checkout; a key that placed another checkout's
    order is refused (idempotency_key_reused), never answered with that order."""
    order = _order_with_key(key)
    if order is not None and order.checkout_token != checkout.token:
        raise ApplicationError(
            "This Idempotency-Key was already used for another checkout; send a new one.",
            code=CheckoutErrorCode.IDEMPOTENCY_KEY_REUSED,
            field="idempotency_key",
            status_code=409,
        )
    return order


def _cart_discard(cart_id: int) -> None:
    """Delete the cart, its lines and its checkout in one statement (Django's collector would
    read each of them first: five round trips inside the placing transaction). Only CartLine
    and Checkout refer to a cart; PostgreSQL checks the foreign keys at the end of the
    statement (Django makes them deferrable, initially deferred: at the commit)."""
    line_table = CartLine._meta.db_table
    checkout_table = Checkout._meta.db_table
    cart_table = Cart._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'WITH lines AS (DELETE FROM "{line_table}" WHERE cart_id = %s), '
            f'checkouts AS (DELETE FROM "{checkout_table}" WHERE cart_id = %s) '
            f'DELETE FROM "{cart_table}" WHERE id = %s',
            [cart_id, cart_id, cart_id],
        )


def _priced_for_order(
    checkout: Checkout, cart: CartForOrder, *, currency: str, expected
) -> tuple[CheckoutPrice, Any]:
    """The checkout priced for its order, and its voucher (None without one); refused when a
    line cannot be bought, the voucher no longer applies or the total moved away from what
    the shopper saw (`expected`)."""
    voucher = _voucher_for(checkout, strict=True, code=cart.voucher_code)
    price = checkout_price(
        lines=cart.lines,
        currency=currency,
        voucher=voucher_rule(voucher) if voucher else None,
        promotions=promotion_rules_running(),
        address=Address.from_dict(checkout.shipping_address),
        shipping_method_id=checkout.shipping_method_id,
        catalog=cart.catalog,
        stock=cart.availability,
    )
    if price.problems:
        raise ApplicationError(
            "Some items cannot be bought as they are: " + " ".join(price.problems),
            code=CheckoutErrorCode.LINES_UNAVAILABLE,
            field="cart",
            extra={"problems": list(price.problems)},
            status_code=409,
        )
    if voucher is not None and price.voucher_problem:
        # The cart changed since the voucher was applied (below its minimum, or nothing it
        # covers is left): say so rather than charge without the discount.
        voucher_check(
            code=voucher.code,
            subtotal=price.subtotal - price.discount_total,
            email=checkout.email,
            customer=checkout.customer,
            lines=[
                PricedLine(
                    key=line.key,
                    variant_id=line.variant_id,
                    product_id=line.product_id,
                    category_path="",
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                )
                for line in price.lines
            ],
        )
    if expected is not None and expected != price.total:
        raise ApplicationError(
            f"The total changed to {price.total} {currency}; check your order again.",
            code=CheckoutErrorCode.TOTAL_CHANGED,
            extra={"total": str(price.total)},
            status_code=409,
        )
    return price, voucher


def _order_row(checkout: Checkout, price: CheckoutPrice, *, key: str, voucher) -> Order:
    order_id = _next_order_id()
    order = Order(
        id=order_id,
        number=order_id + ORDER_NUMBER_OFFSET,
        idempotency_key=key,
        checkout_token=checkout.token,
        customer_id=checkout.customer_id,
        email=checkout.email,
        currency=price.currency,
        shipping_address=checkout.shipping_address,
        billing_address=checkout.billing_address or checkout.shipping_address,
        shipping_method_id=checkout.shipping_method_id,
        shipping_method_name=price.shipping.name if price.shipping else "",
        shipping_rate=price.shipping.to_dict() if price.shipping else None,
        payment_provider=checkout.payment_provider,
        voucher_code=voucher.code if voucher else "",
        subtotal=price.subtotal,
        discount_total=price.discount_total,
        shipping_total=price.shipping_total,
        tax_total=price.tax_total,
        total=price.total,
        prices_include_tax=price.prices_include_tax,
        tax_breakdown=price.tax.breakdown_json(),
        discounts=[applied.as_dict() for applied in price.discounts],
        customer_note=checkout.customer_note,
    )
    # The Order row first: a concurrent request with the same key (from another checkout)
    # waits here on the unique index and then fails, before it reserves anything.
    rows_insert([order])
    return order


def _order_lines_write(order: Order, price: CheckoutPrice) -> None:
    lines = [
        OrderLine(
            order=order,
            variant_id=line.variant_id,
            product_name=line.product_name,
            variant_name=line.variant_name,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_rate=line.tax_rate,
            tax=line.tax,
            total=line.total,
            position=index,
        )
        for index, line in enumerate(price.lines)
    ]
    rows_insert(lines)
    order_lines_known(order, lines)  # whoever shows the order now reads none of them again


@dataclass(frozen=True)
class _Placed:
    order: Order
    payment: Any  # the manual payment started with the order (PaymentOutcome), or None


@transaction.atomic
def _order_place(
    checkout: Checkout, *, key: str, currency: str, expected, provider, payment_data
) -> _Placed:
    """See the module docstring: one transaction, every step refusing with nothing kept."""
    # The cart's row lock makes two completions of one checkout (a retry, two tabs, another
    # key) take turns: the second finds the cart gone. The same query reads all that pricing
    # and the stock reservation need (apps.checkout.selectors).
    cart = cart_for_order(cart_id=checkout.cart_id)
    if cart is None:
        raise _CartGone
    _ready_check(checkout, cart.lines)
    if provider is None:  # chosen earlier, gone since (its plugin was uninstalled)
        raise ApplicationError(
            "This payment method is not available; choose another.",
            code=CheckoutErrorCode.PAYMENT_METHOD_UNAVAILABLE,
            field="payment_method",
        )
    _payment_data_check(provider, payment_data)
    key = idempotency_key_clean(key)
    price, voucher = _priced_for_order(checkout, cart, currency=currency, expected=expected)
    order = _order_row(checkout, price, key=key, voucher=voucher)
    if voucher is not None:
        voucher_redeem(
            voucher=voucher, order_id=order.pk, email=order.email, customer=checkout.customer
        )
    _order_lines_write(order, price)
    order_event_add(
        order=order,
        kind="placed",
        message=f"Order placed by {order.email}.",
        data={
            "payment_method": order.payment_provider,
            "hold_until": _hold_until(order.payment_provider),
        },
    )
    payment = None
    if provider is not None and provider.staff_marks_paid and order.total > 0:
        # A bank transfer has nothing to wait for: its payment is recorded with the order.
        payment = payment_start_with_order(order=order, provider_code=provider.code)
    _cart_discard(checkout.cart_id)  # its lines and this checkout go; the order keeps the token
    # Stock last: the hot rows stay locked (until the commit) for as short a time as we can.
    # Orders hold their stock until paid or cancelled; apps.checkout.expiry cancels the
    # unpaid card orders after the store's reservation time, which releases it.
    stock_reserve(
        lines=[(line.variant_id, line.quantity) for line in price.lines],
        reference=stock_reference(order),
        expires_at=None,
        rows=cart.stock_rows,
    )
    order_confirmation_queue_on_commit(order.pk)
    return _Placed(order=order, payment=payment)


def _hold_until(provider_code: str) -> str | None:
    # A manual payment holds its stock until staff mark it paid: the settings row is only
    # read for the orders that apps.checkout.expiry may cancel.
    if provider_code in MANUAL_PROVIDERS:
        return None
    minutes = checkout_settings().reservation_minutes
    return (timezone.now() + timedelta(minutes=minutes)).isoformat()


@dataclass(frozen=True)
class CompletedCheckout:
    order: Order
    created: bool  # False: this idempotency key had already placed `order`
    # What the payment provider said (None when this key had already placed the order).
    payment: Any = None


def checkout_complete(
    *,
    checkout: Checkout,
    idempotency_key: str,
    currency: str,
    payment_data: dict | None = None,
    expected_total=None,
) -> CompletedCheckout:
    """Place the order (see the module docstring), then start its payment: a manual one is
    recorded with the order; a card one runs after the commit (it may be a network call, and
    a declined card leaves the order awaiting payment, not undone).

    The same key always answers with the same order (created=False), also when several
    requests with it race: the cart's row lock makes them take turns and the later ones find
    the cart gone and its order under their key. A key that placed another checkout's order is
    refused (idempotency_key_reused, 409). `expected_total` (what the shopper saw on the
    review step) refuses the order if the price moved meanwhile (total_changed, 409)."""
    from apps.payments.providers import payment_provider_get
    from apps.payments.services import payment_start

    provider = payment_provider_get(checkout.payment_provider)
    try:
        placed = _order_place(
            checkout,
            key=idempotency_key,
            currency=currency,
            expected=expected_total,
            provider=provider,
            payment_data=payment_data,
        )
    except _CartGone:
        existing = _placed_with(idempotency_key_clean(idempotency_key), checkout)
        if existing is None:
            raise ApplicationError(
                "This cart was already ordered.", code=CheckoutErrorCode.CART_EMPTY, field="cart"
            ) from None
        return CompletedCheckout(order=existing, created=False)
    except IntegrityError:
        # The key's unique index: another checkout's order has it (refused below), or a
        # request with it placed this checkout's order in a race we lost.
        existing = _placed_with(idempotency_key_clean(idempotency_key), checkout)
        if existing is None:
            raise
        return CompletedCheckout(order=existing, created=False)
    if placed.payment is not None:
        return CompletedCheckout(order=placed.order, created=True, payment=placed.payment)
    outcome = payment_start(
        order=placed.order,
        provider_code=placed.order.payment_provider,
        payment_data=payment_data or {},
    )
    # outcome.order is the order as the payment left it (read under its row lock).
    return CompletedCheckout(order=outcome.order, created=True, payment=outcome)
