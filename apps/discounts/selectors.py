"""Reads of discounts: the running promotions and a voucher by its code, as the plain rules
apps.discounts.pricing works with, each in ONE query whatever the size of their scopes (the
promotions in none when the store's configuration memo is warm)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from apps.core.store_config import store_memo
from apps.discounts.models import Promotion, Scope, Voucher, VoucherRedemption
from apps.discounts.pricing import DiscountScope, PromotionRule, VoucherRule


def running_q(now: datetime) -> Q:
    """Active, started (or no start) and not ended (or no end) at `now` (the memoised
    promotions apply the same rule in Python: _ActivePromotion.runs_at)."""
    return (
        Q(is_active=True)
        & (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    )


def _with_scope(queryset: QuerySet, model: type) -> QuerySet:
    """Annotate `scope_product_ids` and `scope_category_paths` (arrays, one query)."""
    products = model.products.through.objects.filter(
        **{f"{model._meta.model_name}_id": OuterRef("pk")}
    )
    categories = model.categories.through.objects.filter(
        **{f"{model._meta.model_name}_id": OuterRef("pk")}
    )
    return queryset.annotate(
        scope_product_ids=ArraySubquery(products.order_by("product_id").values("product_id")),
        scope_category_paths=ArraySubquery(
            categories.order_by("category__path").values("category__path")
        ),
    )


def scope_of(item: Voucher | Promotion) -> DiscountScope:
    """The scope of a voucher or promotion; from the annotations when it was loaded by this
    module (no query), otherwise read (two queries)."""
    if item.scope == Scope.ALL:
        return DiscountScope(everything=True)
    product_ids = getattr(item, "scope_product_ids", None)
    paths = getattr(item, "scope_category_paths", None)
    if product_ids is None or paths is None:
        product_ids = list(item.products.values_list("pk", flat=True))
        paths = list(item.categories.values_list("path", flat=True))
    return DiscountScope(
        everything=False, product_ids=frozenset(product_ids), category_paths=tuple(paths)
    )


@dataclass(frozen=True)
class _ActivePromotion:
    starts_at: datetime | None
    ends_at: datetime | None
    rule: PromotionRule

    def runs_at(self, now: datetime) -> bool:
        """running_q in Python: started (or no start) and not ended (or no end)."""
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or self.ends_at > now
        )


def _active_promotions() -> tuple[_ActivePromotion, ...]:
    """Every active promotion with its scope and dates, by id: one query."""
    promotions = _with_scope(Promotion.objects.filter(is_active=True), Promotion).order_by("id")
    return tuple(
        _ActivePromotion(
            starts_at=promotion.starts_at,
            ends_at=promotion.ends_at,
            rule=PromotionRule(
                id=promotion.pk,
                name=promotion.name,
                kind=promotion.kind,
                value=promotion.value,
                priority=promotion.priority,
                scope=scope_of(promotion),
            ),
        )
        for promotion in promotions
    )


def promotion_rules_running(*, now: datetime | None = None) -> list[PromotionRule]:
    """The promotions running at `now` (default: now), with their scopes, by id. From the
    store's configuration memo (apps.core.store_config): no query when warm, one otherwise."""
    now = now or timezone.now()
    active = store_memo("discounts.promotions", _active_promotions)
    return [promotion.rule for promotion in active if promotion.runs_at(now)]


def _customer_id(customer: Any) -> int | None:
    """A customer given as an account, an account id, or nothing."""
    if customer is None or isinstance(customer, bool):
        return None
    if isinstance(customer, int):
        return customer
    return getattr(customer, "pk", None)


def _uses_by(*, customer: Any, email: str) -> Coalesce | Value:
    """How many orders used the voucher placed by this customer (their account, or any order
    with their account's email address) or by `email` (guests)."""
    who = Q()
    customer_id = _customer_id(customer)
    if customer_id is not None:
        account_email = get_user_model().objects.filter(pk=customer_id).values(e=Lower("email"))
        who |= Q(customer_id=customer_id) | Q(email_lower=Subquery(account_email[:1]))
    if email:
        who |= Q(email_lower=email.strip().lower())
    if not who:
        return Value(0)
    uses = (
        VoucherRedemption.objects.annotate(email_lower=Lower("email"))
        .filter(who, voucher_id=OuterRef("pk"))
        .order_by()
        .values("voucher_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(uses), Value(0))


def voucher_get_by_code(*, code: str, customer: Any = None, email: str = "") -> Voucher | None:
    """The voucher with this code whatever its case, with its scope and `customer_uses` (the
    orders this customer or email address placed with it): one query. `customer`: an account,
    an account id, or None."""
    code = (code or "").strip()
    if not code:
        return None
    queryset = _with_scope(Voucher.objects.filter(code__iexact=code), Voucher)
    return queryset.annotate(customer_uses=_uses_by(customer=customer, email=email)).first()


def voucher_rule(voucher: Voucher) -> VoucherRule:
    return VoucherRule(
        id=voucher.pk,
        code=voucher.code,
        name=voucher.name,
        kind=voucher.kind,
        value=voucher.value,
        minimum_subtotal=voucher.minimum_subtotal,
        scope=scope_of(voucher),
    )


def vouchers_for_staff() -> QuerySet[Voucher]:
    """Vouchers with their scope ids (lists and the API): the M2M ids prefetched."""
    return Voucher.objects.prefetch_related("categories", "products")


def promotions_for_staff() -> QuerySet[Promotion]:
    return Promotion.objects.prefetch_related("categories", "products")


def voucher_uses_by(*, voucher: Voucher, customer: Any = None, email: str = "") -> int:
    """Orders placed with `voucher` by this customer or email address (one query)."""
    found = Voucher.objects.filter(pk=voucher.pk).annotate(
        uses=_uses_by(customer=customer, email=email)
    )
    return found.values_list("uses", flat=True).first() or 0
