"""Option types (Size, Colour), attributes (material, waterproof) and product types: create,
change, delete, and the ordered lists of option values and attribute choices.

The rules that keep products whole:
- an option value a variant uses cannot be removed (option_value_in_use), nor an option type
  that a product type uses or whose values variants use (option_type_in_use);
- a product type's option types cannot lose one its products' variants use
  (option_type_in_use), nor gain one while its products have variants (product_type_locked):
  every variant has exactly one value of each of its type's option types;
- an attribute's kind cannot change once products have values for it (attribute_kind_locked),
  and a choice a product has cannot be removed (attribute_choice_in_use);
- deleting an attribute deletes its values on products (the admin's delete page lists them
  before the merchant confirms), and taking an attribute off a product type deletes its values
  on that type's products, as product_update does when a product changes type: a value whose
  attribute no longer describes the product would be an invisible orphan;
- names are unique per kind of object, ignoring case (name_taken), slugs too (slug_taken);
  values and choices are unique within their list (option_values_invalid).

Renaming a value, or reordering a product type's option types, re-derives the names of the
variants concerned ("M / Blue") and marks them and their products updated (API sync). Every
write bumps the store's catalog version on commit, so cached storefront pages refresh.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    ListEntry,
    OptionType,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductType,
    Variant,
)
from apps.catalog.services._common import (
    changed,
    fields_check,
    name_clean,
    save_or_slug_taken,
    slug_unique,
)
from apps.core.exceptions import ApplicationError

_POSITION_MAX = 2_147_483_647  # PositiveIntegerField


# --- shared checks -------------------------------------------------------------------------


def _values_clean(values: Iterable[str], *, field: str, required: bool) -> list[tuple[str, str]]:
    """[(value, slug)] in the given order; blank, over-long or duplicate values are refused."""
    cleaned, seen = [], set()
    for raw in values:
        value = " ".join(str(raw).split())
        slug = slugify(value)[:60]
        if not value or not slug or len(value) > 60 or slug in seen:
            raise ApplicationError(
                f'"{raw}" is blank, too long or listed twice.',
                code=CatalogErrorCode.OPTION_VALUES_INVALID,
                field=field,
            )
        seen.add(slug)
        cleaned.append((value, slug))
    if required and not cleaned:
        raise ApplicationError(
            "Give at least one value.", code=CatalogErrorCode.OPTION_VALUES_INVALID, field=field
        )
    return cleaned


def _position_clean(position: Any) -> int:
    text = str(position).strip() if isinstance(position, int | str) else ""
    if isinstance(position, bool) or not text.isdigit() or int(text) > _POSITION_MAX:
        raise ApplicationError(
            "Enter a whole number, 0 or more.",
            code=CatalogErrorCode.POSITION_INVALID,
            field="position",
        )
    return int(text)


def _kind_clean(kind: str) -> str:
    if kind not in Attribute.Kind.values:
        raise ApplicationError(
            f"Choose one of: {', '.join(Attribute.Kind.values)}.",
            code=CatalogErrorCode.ATTRIBUTE_KIND_INVALID,
            field="kind",
        )
    return kind


def _name_free(model: type[models.Model], name: str, *, exclude_pk: Any = None) -> str:
    """The name, if no other object of the model has it (ignoring case): two option types
    called "Size" could not be told apart in the admin's pickers or the storefront's filters."""
    others = model.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ApplicationError(
            f'Another {model._meta.verbose_name} is already named "{name}".',
            code=CatalogErrorCode.NAME_TAKEN,
            field="name",
        )
    return name


def _name_and_slug_apply(instance: Any, fields: dict[str, Any], *, max_length: int) -> None:
    """Apply `name` and `slug` from an update's fields (an empty slug keeps the current one:
    renaming never moves an address)."""
    model = type(instance)
    if "name" in fields:
        name = name_clean(fields["name"], max_length=max_length)
        instance.name = _name_free(model, name, exclude_pk=instance.pk)
    slug = fields.get("slug")
    if slug and slug != instance.slug:
        instance.slug = slug_unique(
            queryset=model.objects.all(),
            name=instance.name,
            slug=slug,
            max_length=max_length,
            exclude_pk=instance.pk,
        )


def _lock(model: type[models.Model], pk: Any) -> Any:
    # Serialises writes to one object and its list (positions, duplicate checks).
    return model.objects.select_for_update().get(pk=pk)


def _names(names: list[str], total: int) -> str:
    shown = ", ".join(f'"{name}"' for name in names[:3])
    return f"{shown} and {total - 3} more" if total > 3 else shown


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _products_touch(product_ids: Iterable[int]) -> None:
    """Mark products updated: the API's sync (updated, id) sees a change made from here."""
    Product.objects.filter(pk__in=set(product_ids)).update(updated=timezone.now())


def _variant_names_refresh(variants: QuerySet[Variant]) -> None:
    """Re-derive the names of these variants ("M / Blue", in their product type's option
    order) and mark them and their products updated."""
    rows = list(
        variants.annotate(type_id=F("product__product_type_id")).prefetch_related("option_values")
    )
    if not rows:
        return
    through = ProductType.option_types.through
    ranks: dict[int, dict[int, int]] = {}
    for link in (
        through.objects.filter(producttype_id__in={row.type_id for row in rows})
        .order_by("id")
        .values("producttype_id", "optiontype_id")
    ):
        order = ranks.setdefault(link["producttype_id"], {})
        order[link["optiontype_id"]] = len(order)
    now = timezone.now()
    for row in rows:
        order = ranks.get(row.type_id, {})
        values = sorted(
            row.option_values.all(), key=lambda v: order.get(v.option_type_id, len(order))
        )
        row.name, row.updated = " / ".join(v.value for v in values), now
    Variant.objects.bulk_update(rows, ["name", "updated"], batch_size=500)
    _products_touch(row.product_id for row in rows)


# --- value and choice lists (shared by option types and choice attributes) -----------------


def _entry_value_free(
    entries: QuerySet, value: str, *, owner: str, exclude_pk: Any = None
) -> tuple[str, str]:
    ((value, slug),) = _values_clean([value], field="value", required=True)
    taken = entries.filter(slug=slug)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ApplicationError(
            f'"{value}" is already a value of {owner}.',
            code=CatalogErrorCode.OPTION_VALUES_INVALID,
            field="value",
        )
    return value, slug


def _entry_add(entries: Any, *, value: str, position: Any, owner: str) -> ListEntry:
    """Add to a list (a related manager: option_type.values, attribute.choices): at the end,
    or inserted at `position` (the entries from there on move down one)."""
    value, slug = _entry_value_free(entries.all(), value, owner=owner)
    if position is None:
        last = entries.order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    else:
        position = _position_clean(position)
        entries.filter(position__gte=position).update(position=F("position") + 1)
    return entries.create(value=value, slug=slug, position=position)


def _entry_update(entry: ListEntry, entries: QuerySet, fields: dict[str, Any], owner: str) -> bool:
    """Apply `value` and `position`; whether the value was renamed. The slug follows the
    value, like a new value's (shoppers' filter links name the new spelling)."""
    renamed = False
    if "value" in fields:
        value, slug = _entry_value_free(entries, fields["value"], owner=owner, exclude_pk=entry.pk)
        renamed = value != entry.value
        entry.value, entry.slug = value, slug
    if "position" in fields:
        entry.position = _position_clean(fields["position"])
    entry.save()
    return renamed


def _entries_reorder(entries: QuerySet, wanted: Sequence[Any], *, field: str) -> list:
    """Positions 0, 1, ... in the given order, which must name every entry exactly once."""
    current = {entry.pk: entry for entry in entries}
    try:
        ids = [int(getattr(item, "pk", item)) for item in wanted]
    except (TypeError, ValueError):
        ids = []
    if len(ids) != len(current) or set(ids) != set(current):
        raise ApplicationError(
            "List every value exactly once, in the new order.",
            code=CatalogErrorCode.OPTION_VALUES_INVALID,
            field=field,
        )
    for position, pk in enumerate(ids):
        current[pk].position = position
    entries.model.objects.bulk_update(list(current.values()), ["position"])
    return [current[pk] for pk in ids]


# --- option types and their values ---------------------------------------------------------


def option_type_product_types(option_type: OptionType) -> QuerySet[ProductType]:
    """The product types that vary by this option type (what stops its deletion)."""
    return ProductType.objects.filter(option_types=option_type).order_by("name", "id")


@transaction.atomic
def option_type_create(
    *, name: str, values: list[str], slug: str | None = None, position: int = 0
) -> OptionType:
    """An option type with its values in the given order (positions 0, 1, ...); `position`
    places its picker on product pages (lowest first, then by name)."""
    name = _name_free(OptionType, name_clean(name, max_length=60))
    cleaned = _values_clean(values, field="values", required=True)
    option_type = save_or_slug_taken(
        OptionType(
            name=name,
            slug=slug_unique(
                queryset=OptionType.objects.all(), name=name, slug=slug, max_length=60
            ),
            position=_position_clean(position),
        )
    )
    OptionValue.objects.bulk_create(
        OptionValue(option_type=option_type, value=value, slug=value_slug, position=i)
        for i, (value, value_slug) in enumerate(cleaned)
    )
    changed()
    return option_type


@transaction.atomic
def option_type_update(*, option_type: OptionType, **fields: Any) -> OptionType:
    """Change `name`, `slug` or `position` (the picker's place on product pages)."""
    fields_check(fields, {"name", "slug", "position"}, "option_type_update")
    option_type = _lock(OptionType, option_type.pk)
    _name_and_slug_apply(option_type, fields, max_length=60)
    if "position" in fields:
        option_type.position = _position_clean(fields["position"])
    save_or_slug_taken(option_type)
    changed()
    return option_type


@transaction.atomic
def option_type_delete(*, option_type: OptionType) -> None:
    """Delete an option type, with its values, once no product type and no variant uses it."""
    option_type = _lock(OptionType, option_type.pk)
    users = option_type_product_types(option_type)
    total = users.count()
    if total:
        raise ApplicationError(
            f"{option_type.name} is an option of {_plural(total, 'product type')} "
            f"({_names(list(users.values_list('name', flat=True)[:3]), total)}): "
            "take it off them first.",
            code=CatalogErrorCode.OPTION_TYPE_IN_USE,
            field="option_type",
            extra={"product_type_ids": list(users.values_list("pk", flat=True))},
        )
    variants = Variant.objects.filter(option_values__option_type=option_type).distinct().count()
    if variants:  # variants left from before a type change: they would lose part of their name
        raise ApplicationError(
            f"{option_type.name} is used by {_plural(variants, 'variant')}: delete them first.",
            code=CatalogErrorCode.OPTION_TYPE_IN_USE,
            field="option_type",
            extra={"variant_count": variants},
        )
    option_type.delete()
    changed()


@transaction.atomic
def option_value_add(
    *, option_type: OptionType, value: str, position: int | None = None
) -> OptionValue:
    """Add a value (e.g. a new size "XXL"): at the end, or inserted at `position`."""
    option_type = _lock(OptionType, option_type.pk)
    option_value = _entry_add(
        option_type.values, value=value, position=position, owner=option_type.name
    )
    changed()
    return option_value


@transaction.atomic
def option_value_update(*, option_value: OptionValue, **fields: Any) -> OptionValue:
    """Rename a value or give it another position (the number as given; equal positions sort
    by value). A rename renames the variants that use it ("M / Blue" becomes "Medium / Blue")."""
    fields_check(fields, {"value", "position"}, "option_value_update")
    option_type = _lock(OptionType, option_value.option_type_id)
    option_value = OptionValue.objects.get(pk=option_value.pk)
    if _entry_update(option_value, option_type.values.all(), fields, option_type.name):
        _variant_names_refresh(Variant.objects.filter(option_values=option_value))
    changed()
    return option_value


@transaction.atomic
def option_value_delete(*, option_value: OptionValue) -> None:
    """Remove a value no variant uses (a variant needs one value of each option)."""
    _lock(OptionType, option_value.option_type_id)
    used = Variant.objects.filter(option_values=option_value.pk).count()
    if used:
        raise ApplicationError(
            f'The value "{option_value.value}" is used by {_plural(used, "variant")}: '
            "change or delete them first.",
            code=CatalogErrorCode.OPTION_VALUE_IN_USE,
            field="value",
            extra={"variant_count": used},
        )
    OptionValue.objects.filter(pk=option_value.pk).delete()
    changed()


@transaction.atomic
def option_values_reorder(
    *, option_type: OptionType, values: Sequence[OptionValue | int]
) -> list[OptionValue]:
    """Put every value of the type in the given order (positions 0, 1, ...)."""
    option_type = _lock(OptionType, option_type.pk)
    ordered = _entries_reorder(option_type.values.all(), values, field="values")
    changed()
    return ordered


# --- attributes and their choices ----------------------------------------------------------


@transaction.atomic
def attribute_create(
    *, name: str, kind: str, choices: Iterable[str] = (), unit: str = "", slug: str | None = None
) -> Attribute:
    """A typed attribute; a "choice" attribute needs its choices, other kinds take none."""
    name = _name_free(Attribute, name_clean(name, max_length=60))
    kind = _kind_clean(kind)
    is_choice = kind == Attribute.Kind.CHOICE
    cleaned = _values_clean(choices, field="choices", required=is_choice)
    if cleaned and not is_choice:
        raise ApplicationError(
            "Only a choice attribute has choices.",
            code=CatalogErrorCode.OPTION_VALUES_INVALID,
            field="choices",
        )
    attribute = save_or_slug_taken(
        Attribute(
            name=name,
            slug=slug_unique(queryset=Attribute.objects.all(), name=name, slug=slug, max_length=60),
            kind=kind,
            unit=(unit or "").strip()[:20],
        )
    )
    AttributeChoice.objects.bulk_create(
        AttributeChoice(attribute=attribute, value=value, slug=value_slug, position=i)
        for i, (value, value_slug) in enumerate(cleaned)
    )
    changed()
    return attribute


@transaction.atomic
def attribute_update(*, attribute: Attribute, **fields: Any) -> Attribute:
    """Change `name`, `slug`, `kind` or `unit`. The kind stays while products have values for
    the attribute (they were checked against it). Leaving the choice kind deletes the choices
    (no product has one then); a new choice attribute gets its choices from
    attribute_choice_add."""
    fields_check(fields, {"name", "slug", "kind", "unit"}, "attribute_update")
    attribute = _lock(Attribute, attribute.pk)
    _name_and_slug_apply(attribute, fields, max_length=60)
    if "kind" in fields and fields["kind"] != attribute.kind:
        kind = _kind_clean(fields["kind"])
        products = ProductAttributeValue.objects.filter(attribute=attribute).count()
        if products:
            raise ApplicationError(
                f'"{attribute.name}" has a value on {_plural(products, "product")}, so its '
                "kind cannot change; make a new attribute instead.",
                code=CatalogErrorCode.ATTRIBUTE_KIND_LOCKED,
                field="kind",
                extra={"product_count": products},
            )
        if attribute.kind == Attribute.Kind.CHOICE:
            attribute.choices.all().delete()
        attribute.kind = kind
    if "unit" in fields:
        attribute.unit = (fields["unit"] or "").strip()[:20]
    save_or_slug_taken(attribute)
    changed()
    return attribute


@transaction.atomic
def attribute_delete(*, attribute: Attribute) -> None:
    """Delete an attribute with its choices and its values on products (which are marked
    updated); product types stop listing it."""
    attribute = _lock(Attribute, attribute.pk)
    _products_touch(
        ProductAttributeValue.objects.filter(attribute=attribute).values_list(
            "product_id", flat=True
        )
    )
    attribute.delete()
    changed()


def _choice_attribute(attribute: Attribute) -> Attribute:
    if attribute.kind != Attribute.Kind.CHOICE:
        raise ApplicationError(
            "Only a choice attribute has choices.",
            code=CatalogErrorCode.OPTION_VALUES_INVALID,
            field="value",
        )
    return attribute


@transaction.atomic
def attribute_choice_add(
    *, attribute: Attribute, value: str, position: int | None = None
) -> AttributeChoice:
    """Add a choice to a choice attribute: at the end, or inserted at `position`."""
    attribute = _choice_attribute(_lock(Attribute, attribute.pk))
    choice = _entry_add(attribute.choices, value=value, position=position, owner=attribute.name)
    changed()
    return choice


@transaction.atomic
def attribute_choice_update(*, choice: AttributeChoice, **fields: Any) -> AttributeChoice:
    """Rename a choice or move it (`value`, `position`); products that have it show the new
    wording."""
    fields_check(fields, {"value", "position"}, "attribute_choice_update")
    attribute = _lock(Attribute, choice.attribute_id)
    choice = AttributeChoice.objects.get(pk=choice.pk)
    if _entry_update(choice, attribute.choices.all(), fields, attribute.name):
        _products_touch(
            ProductAttributeValue.objects.filter(value_choice=choice).values_list(
                "product_id", flat=True
            )
        )
    changed()
    return choice


@transaction.atomic
def attribute_choice_delete(*, choice: AttributeChoice) -> None:
    """Remove a choice no product has."""
    _lock(Attribute, choice.attribute_id)
    used = ProductAttributeValue.objects.filter(value_choice=choice.pk).count()
    if used:
        raise ApplicationError(
            f'The choice "{choice.value}" is given to {_plural(used, "product")}: '
            "give them another choice first.",
            code=CatalogErrorCode.ATTRIBUTE_CHOICE_IN_USE,
            field="value",
            extra={"product_count": used},
        )
    AttributeChoice.objects.filter(pk=choice.pk).delete()
    changed()


@transaction.atomic
def attribute_choices_reorder(
    *, attribute: Attribute, choices: Sequence[AttributeChoice | int]
) -> list[AttributeChoice]:
    """Put every choice of the attribute in the given order (positions 0, 1, ...)."""
    attribute = _lock(Attribute, attribute.pk)
    ordered = _entries_reorder(attribute.choices.all(), choices, field="choices")
    changed()
    return ordered


# --- product types -------------------------------------------------------------------------


@transaction.atomic
def product_type_create(
    *,
    name: str,
    option_types: Iterable[OptionType] = (),
    attributes: Iterable[Attribute] = (),
    slug: str | None = None,
) -> ProductType:
    """A product type. Its option types are kept in the given order, which is the order of the
    parts of a variant's name ("M / Blue" for Size then Colour)."""
    name = _name_free(ProductType, name_clean(name, max_length=80))
    product_type = save_or_slug_taken(
        ProductType(
            name=name,
            slug=slug_unique(
                queryset=ProductType.objects.all(), name=name, slug=slug, max_length=80
            ),
        )
    )
    _option_types_link(product_type, option_types)
    product_type.attributes.set(list(attributes))
    changed()
    return product_type


def _option_types_link(product_type: ProductType, option_types: Iterable[OptionType]) -> None:
    # One add() per option type: the through rows' ids record the order.
    for option_type in option_types:
        product_type.option_types.add(option_type)


@transaction.atomic
def product_type_update(*, product_type: ProductType, **fields: Any) -> ProductType:
    """Change `name`, `slug`, `option_types` (in order: the order of variant names' parts) or
    `attributes`. See the module's rules for what option changes are refused; an attribute
    taken off the type loses its values on the type's products."""
    fields_check(fields, {"name", "slug", "option_types", "attributes"}, "product_type_update")
    product_type = _lock(ProductType, product_type.pk)
    # Options first: their refusals name the type as the merchant knows it (before a rename).
    if "option_types" in fields:
        _option_types_change(product_type, fields["option_types"] or ())
    if "attributes" in fields:
        _attributes_change(product_type, fields["attributes"] or ())
    _name_and_slug_apply(product_type, fields, max_length=80)
    save_or_slug_taken(product_type)
    changed()
    return product_type


def _option_types_change(product_type: ProductType, option_types: Iterable[OptionType]) -> None:
    wanted = list({option_type.pk: option_type for option_type in option_types}.values())
    current = product_type_option_types(product_type)
    if [t.pk for t in wanted] == [t.pk for t in current]:
        return
    variants = Variant.objects.filter(product__product_type=product_type)
    for option_type in current:
        if option_type.pk in {t.pk for t in wanted}:
            continue
        used = variants.filter(option_values__option_type=option_type).distinct().count()
        if used:
            raise ApplicationError(
                f"{option_type.name} is used by {_plural(used, 'variant')} of "
                f'"{product_type.name}" products: delete them before taking it off the type.',
                code=CatalogErrorCode.OPTION_TYPE_IN_USE,
                field="option_types",
                extra={"option_type_id": option_type.pk, "variant_count": used},
            )
    added = [t for t in wanted if t.pk not in {c.pk for c in current}]
    if added:
        products = (
            Product.objects.filter(product_type=product_type, variants__isnull=False)
            .distinct()
            .count()
        )
        if products:
            raise ApplicationError(
                f"The variants of {_plural(products, 'product')} of type "
                f'"{product_type.name}" would have no {", ".join(t.name for t in added)}: '
                "delete those variants before adding an option.",
                code=CatalogErrorCode.PRODUCT_TYPE_LOCKED,
                field="option_types",
                extra={"product_count": products},
            )
    ProductType.option_types.through.objects.filter(producttype=product_type).delete()
    _option_types_link(product_type, wanted)
    # A new order of the options is a new order of the parts of the variants' names.
    _variant_names_refresh(variants.filter(option_values__isnull=False).distinct())


def _attributes_change(product_type: ProductType, attributes: Iterable[Attribute]) -> None:
    wanted = list(attributes)
    orphans = ProductAttributeValue.objects.filter(product__product_type=product_type).exclude(
        attribute__in=[attribute.pk for attribute in wanted]
    )
    product_ids = set(orphans.values_list("product_id", flat=True))
    if product_ids:
        orphans.delete()
        _products_touch(product_ids)
    product_type.attributes.set(wanted)


@transaction.atomic
def product_type_delete(*, product_type: ProductType) -> None:
    """Delete a product type no product has."""
    product_type = _lock(ProductType, product_type.pk)
    products = Product.objects.filter(product_type=product_type).count()
    if products:
        raise ApplicationError(
            f'"{product_type.name}" is the type of {_plural(products, "product")}: give them '
            "another type or delete them first.",
            code=CatalogErrorCode.PRODUCT_TYPE_IN_USE,
            field="product_type",
            extra={"product_count": products},
        )
    product_type.delete()
    changed()


def product_type_option_types(product_type: ProductType | None) -> list[OptionType]:
    """The type's option types in the order they were given."""
    if product_type is None:
        return []
    through = ProductType.option_types.through
    return [
        row.optiontype
        for row in through.objects.filter(producttype=product_type)
        .select_related("optiontype")
        .order_by("id")
    ]
