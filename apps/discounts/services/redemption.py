"""A shopper's voucher: checked when applied to a cart (voucher_check), counted when an order
is placed (voucher_redeem, inside the checkout's order transaction).

Each refusal has its own stable code and a message that says what to do. The overall usage
limit is kept by ONE conditional UPDATE (`used_count = used_count + 1 WHERE usage_limit IS NULL
OR used_count < usage_limit`): PostgreSQL re-checks the condition on the row as the previous
transaction left it, so concurrent orders can never use a code more often than its limit (the
table's CHECK constraint says so as well). That UPDATE also holds the voucher's row lock until
the order commits, which serialises the per-customer count that follows.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import dateformat, timezone

from apps.core.exceptions import ApplicationError
from apps.discounts import selectors
from apps.discounts.errors import DiscountErrorCode as Code
from apps.discounts.models import Voucher, VoucherRedemption
from apps.discounts.pricing import PricedLine
from apps.discounts.services._common import money_text


def _store_time(moment: datetime) -> str:
    try:
        zone = ZoneInfo(getattr(connection.tenant, "timezone", "") or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return dateformat.format(timezone.localtime(moment, zone), "j F Y, H:i")


def _refused(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, field="code")


def voucher_refusal(
    voucher: Voucher,
    *,
    subtotal: Decimal | None,
    now: datetime | None = None,
    lines: Sequence[PricedLine] | None = None,
) -> ApplicationError | None:
    """Why `voucher` cannot be used now, or None when it can.

    `subtotal`: the cart's subtotal after automatic promotions (None: not checked). `lines`:
    the cart's lines (None: coverage not checked). The per-customer limit is checked when the
    voucher carries `customer_uses` (selectors.voucher_get_by_code counts them).
    """
    now = now or timezone.now()
    if not voucher.is_active:
        return _refused("This voucher is no longer active.", Code.VOUCHER_INACTIVE)
    if voucher.starts_at and now < voucher.starts_at:
        return _refused(
            f"This voucher can be used from {_store_time(voucher.starts_at)}.",
            Code.VOUCHER_NOT_STARTED,
        )
    if voucher.ends_at and now >= voucher.ends_at:
        return _refused(
            f"This voucher expired on {_store_time(voucher.ends_at)}.", Code.VOUCHER_EXPIRED
        )
    if voucher.usage_limit is not None and voucher.used_count >= voucher.usage_limit:
        return _refused("This voucher has been used up.", Code.VOUCHER_EXHAUSTED)
    uses = getattr(voucher, "customer_uses", None)
    limit = voucher.usage_limit_per_customer
    if limit is not None and uses is not None and uses >= limit:
        times = "once" if limit == 1 else f"{limit} times"
        return _refused(
            f"This voucher can be used {times} per customer, and you already have.",
            Code.VOUCHER_USED_BY_CUSTOMER,
        )
    minimum = voucher.minimum_subtotal
    if minimum is not None and subtotal is not None and subtotal < minimum:
        return _refused(
            f"Spend {money_text(minimum - subtotal)} more to use this voucher (it needs a "
            f"subtotal of {money_text(minimum)}).",
            Code.VOUCHER_MIN_SUBTOTAL,
        )
    if lines is not None:
        scope = selectors.scope_of(voucher)
        if not any(scope.covers(line) for line in lines):
            return _refused(
                "This voucher does not apply to anything in your cart.",
                Code.VOUCHER_NOT_APPLICABLE,
            )
    return None


def voucher_not_found(code: str) -> ApplicationError:
    shown = code.strip()[:40]
    return _refused(
        f"There is no voucher with the code {shown}. Check the spelling.", Code.VOUCHER_NOT_FOUND
    )


def voucher_check(
    *,
    code: str,
    subtotal: Decimal | None,
    email: str = "",
    customer: Any = None,
    now: datetime | None = None,
    lines: Sequence[PricedLine] | None = None,
) -> Voucher:
    """The voucher `code` names (any case), if it can be used now; otherwise ApplicationError
    (field "code") with one of: voucher_not_found, voucher_inactive, voucher_not_started,
    voucher_expired, voucher_exhausted, voucher_used_by_customer, voucher_min_subtotal,
    voucher_not_applicable (in that order of checking). Two queries at most (the voucher with
    its scope and this customer's uses; nothing else)."""
    voucher = selectors.voucher_get_by_code(code=code, customer=customer, email=email)
    if voucher is None:
        raise voucher_not_found(code or "")
    refusal = voucher_refusal(voucher, subtotal=subtotal, now=now, lines=lines)
    if refusal is not None:
        raise refusal
    return voucher


@transaction.atomic
def voucher_redeem(
    *,
    voucher: Voucher,
    order_id: int,
    email: str,
    customer: Any = None,
    now: datetime | None = None,
) -> VoucherRedemption:
    """Count one use of `voucher` by the order `order_id`; call it inside the transaction that
    places the order (its row lock is held until that commits).

    Refused, changing nothing, with voucher_exhausted when no use is left, voucher_inactive /
    voucher_not_started / voucher_expired when it is not running at `now`, and
    voucher_used_by_customer when this customer (account or email) reached their limit.
    The same order redeemed again gets its existing redemption back (counted once).
    """
    now = now or timezone.now()
    existing = VoucherRedemption.objects.filter(voucher_id=voucher.pk, order_id=order_id).first()
    if existing is not None:
        return existing
    counted = (
        Voucher.objects.filter(pk=voucher.pk)
        .filter(selectors.running_q(now))
        .filter(Q(usage_limit__isnull=True) | Q(used_count__lt=F("usage_limit")))
        .update(used_count=F("used_count") + 1)
    )
    current = Voucher.objects.filter(pk=voucher.pk).first()
    if current is None:
        raise voucher_not_found(voucher.code)
    if not counted:
        raise voucher_refusal(current, subtotal=None, now=now) or _refused(
            "This voucher has been used up.", Code.VOUCHER_EXHAUSTED
        )
    limit = current.usage_limit_per_customer
    if limit is not None:
        # Under the row lock the UPDATE took: another order of this customer with this voucher
        # is either committed (and counted here) or waits for this one.
        current.customer_uses = selectors.voucher_uses_by(
            voucher=current, customer=customer, email=email
        )
        refusal = voucher_refusal(current, subtotal=None, now=now)
        if refusal is not None and refusal.code == Code.VOUCHER_USED_BY_CUSTOMER:
            raise refusal  # rolls back this function's savepoint: the use is not counted
    return VoucherRedemption.objects.create(
        voucher=current,
        order_id=order_id,
        email=(email or "").strip().lower(),
        customer=customer if getattr(customer, "pk", None) else None,
        created=now,
    )


@transaction.atomic
def voucher_redemption_cancel(*, voucher: Voucher, order_id: int) -> bool:
    """Give back the use an order made of a voucher (the order was cancelled before it was
    paid). False when the order had not used it."""
    deleted, _ = VoucherRedemption.objects.filter(voucher_id=voucher.pk, order_id=order_id).delete()
    if not deleted:
        return False
    Voucher.objects.filter(pk=voucher.pk, used_count__gt=0).update(used_count=F("used_count") - 1)
    return True
