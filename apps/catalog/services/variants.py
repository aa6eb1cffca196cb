"""Variant writes: SKUs unique in the store, option combinations valid and unique, prices."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import OptionValue, Product, Variant
from apps.catalog.services._common import changed, fields_check, money_clean
from apps.catalog.services._derived import product_derived_refresh
from apps.catalog.services.types import product_type_option_types
from apps.core.exceptions import ApplicationError

SKU_MAX = Variant._meta.get_field("sku").max_length
_UPDATABLE = {
    "sku", "price", "compare_at_price", "cost", "weight_grams", "barcode", "position",
    "option_values",
}  # fmt: skip


def _sku_taken(sku: str) -> ApplicationError:
    return ApplicationError(
        f'The SKU "{sku}" is already used by another variant in this store.',
        code=CatalogErrorCode.SKU_TAKEN,
        field="sku",
    )


def sku_clean(sku: str | None, *, exclude_pk: int | None = None) -> str:
    sku = (sku or "").strip()
    if not sku or len(sku) > SKU_MAX or any(ch.isspace() for ch in sku):
        raise ApplicationError(
            f"Enter a SKU of 1 to {SKU_MAX} characters without spaces.",
            code=CatalogErrorCode.SKU_REQUIRED,
            field="sku",
        )
    taken = Variant.objects.filter(sku=sku)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _sku_taken(sku)
    return sku


def sku_generate(base: str) -> str:
    """A free SKU from a product slug: "T-SHIRT", else "T-SHIRT-2", ..."""
    base = (base.upper() or "SKU")[: SKU_MAX - 6]
    taken = set(Variant.objects.filter(sku__startswith=base).values_list("sku", flat=True))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _save(variant: Variant) -> None:
    """Save in a savepoint; a concurrent writer that took the SKU first loses cleanly here."""
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:
        if "sku" in str(exc):
            raise _sku_taken(variant.sku) from exc
        if "one_default_per_product" in str(exc):
            raise _duplicate() from exc
        raise


def _duplicate() -> ApplicationError:
    return ApplicationError(
        "The product already has a variant with these options.",
        code=CatalogErrorCode.VARIANT_DUPLICATE,
        field="option_values",
    )


def _weight_clean(weight: Any) -> int | None:
    if weight is None or weight == "":
        return None
    try:
        grams = int(weight)
    except (TypeError, ValueError):
        grams = -1
    if grams < 0 or str(weight).strip() not in (str(grams), f"{grams}.0"):
        raise ApplicationError(
            "Enter the weight in whole grams.",
            code=CatalogErrorCode.WEIGHT_INVALID,
            field="weight_grams",
        )
    return grams


def _options_resolve(
    product: Product, option_values: Iterable[Any], *, exclude_pk: int | None = None
) -> tuple[list[OptionValue], str]:
    """Check the values fit the product's type (one value of each of its option types, no
    other) and no other variant of the product has the same combination; (values in the
    type's option order, derived name such as "M / Blue")."""
    ids = [getattr(v, "pk", v) for v in option_values]
    option_types = product_type_option_types(product.product_type)
    invalid = ApplicationError(
        "Choose exactly one value for each option: "
        + (", ".join(t.name for t in option_types) or "this product has no options")
        + ".",
        code=CatalogErrorCode.VARIANT_OPTIONS_INVALID,
        field="option_values",
    )
    try:
        values = list(OptionValue.objects.filter(pk__in=ids)) if ids else []
    except (TypeError, ValueError):
        raise invalid from None
    by_type = {v.option_type_id: v for v in values}
    if (
        len(values) != len(ids)
        or len(by_type) != len(values)
        or set(by_type) != {t.pk for t in option_types}
    ):
        raise invalid
    ordered = [by_type[t.pk] for t in option_types]
    wanted = {v.pk for v in ordered}
    siblings = Variant.objects.filter(product=product).prefetch_related("option_values")
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    for sibling in siblings:
        if {v.pk for v in sibling.option_values.all()} == wanted:
            raise _duplicate()
    return ordered, " / ".join(v.value for v in ordered)


def variant_insert(
    *,
    product: Product,
    sku: str,
    price: Any,
    option_values: Iterable[Any] = (),
    compare_at_price: Any = None,
    cost: Any = None,
    weight_grams: Any = None,
    barcode: str = "",
    position: int | None = None,
) -> Variant:
    """variant_create without the product lock, refresh and version bump (for services that
    do those once for many variants)."""
    price = money_clean(price, field="price", required=True)
    compare_at_price = money_clean(compare_at_price, field="compare_at_price")
    cost = money_clean(cost, field="cost")
    sku = sku_clean(sku)
    weight_grams = _weight_clean(weight_grams)
    values, name = _options_resolve(product, option_values)
    is_default = not values
    if is_default and Variant.objects.filter(product=product).exists():
        raise ApplicationError(
            "A product without options has exactly one variant; change that one instead.",
            code=CatalogErrorCode.VARIANT_DUPLICATE,
            field="option_values",
        )
    if position is None:
        last = (
            Variant.objects.filter(product=product)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = 0 if last is None else last + 1
    variant = Variant(
        product=product,
        sku=sku,
        name=name,
        price=price,
        compare_at_price=compare_at_price,
        cost=cost,
        weight_grams=weight_grams,
        barcode=(barcode or "").strip()[:64],
        position=position,
        is_default=is_default,
    )
    _save(variant)
    if values:
        variant.option_values.set(values)
    return variant


def _product_lock(product: Product) -> Product:
    # Serialises variant writes per product: two concurrent creations of the same option
    # combination cannot both pass the duplicate check.
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("product_type")
        .get(pk=product.pk)
    )


@transaction.atomic
def variant_create(
    *,
    product: Product,
    sku: str,
    price: Decimal,
    option_values: Iterable[Any] = (),
    compare_at_price: Decimal | None = None,
    cost: Decimal | None = None,
    weight_grams: int | None = None,
    barcode: str = "",
    position: int | None = None,
) -> Variant:
    """Add a variant. For a product whose type has options: one value of each option type
    (OptionValue objects or ids), a combination no other variant has. For a product without
    options: its one default variant, if it has none yet."""
    product = _product_lock(product)
    variant = variant_insert(
        product=product,
        sku=sku,
        price=price,
        option_values=option_values,
        compare_at_price=compare_at_price,
        cost=cost,
        weight_grams=weight_grams,
        barcode=barcode,
        position=position,
    )
    product_derived_refresh(product.pk)
    changed()
    return variant


@transaction.atomic
def variant_update(*, variant: Variant, **fields: Any) -> Variant:
    fields_check(fields, _UPDATABLE, "variant_update")
    product = _product_lock(variant.product)
    variant = Variant.objects.get(pk=variant.pk)
    if "sku" in fields:
        variant.sku = sku_clean(fields["sku"], exclude_pk=variant.pk)
    if "price" in fields:
        variant.price = money_clean(fields["price"], field="price", required=True)
    for key in ("compare_at_price", "cost"):
        if key in fields:
            setattr(variant, key, money_clean(fields[key], field=key))
    if "weight_grams" in fields:
        variant.weight_grams = _weight_clean(fields["weight_grams"])
    if "barcode" in fields:
        variant.barcode = (fields["barcode"] or "").strip()[:64]
    if "position" in fields:
        variant.position = fields["position"]
    values = None
    if "option_values" in fields:
        values, variant.name = _options_resolve(
            product, fields["option_values"], exclude_pk=variant.pk
        )
        if not values and not variant.is_default:
            raise ApplicationError(
                "Choose the variant's options.",
                code=CatalogErrorCode.VARIANT_OPTIONS_INVALID,
                field="option_values",
            )
    _save(variant)
    if values is not None:
        variant.option_values.set(values)
    product_derived_refresh(product.pk)
    changed()
    return variant


@transaction.atomic
def variant_delete(*, variant: Variant) -> None:
    """Delete a variant. The last variant of a published product cannot go (a published
    product always has a price): unpublish or add another variant first."""
    product = _product_lock(variant.product)
    if (
        product.status == Product.Status.PUBLISHED
        and not Variant.objects.filter(product=product).exclude(pk=variant.pk).exists()
    ):
        raise ApplicationError(
            "A published product needs at least one variant; unpublish it first.",
            code=CatalogErrorCode.VARIANT_LAST,
            field="variant",
        )
    Variant.objects.filter(pk=variant.pk).delete()
    product_derived_refresh(product.pk)
    changed()
