"""Option types (Size, Colour), attributes (material, waterproof) and product types."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import Attribute, AttributeChoice, OptionType, OptionValue, ProductType
from apps.catalog.services._common import changed, name_clean, save_or_slug_taken, slug_unique
from apps.core.exceptions import ApplicationError


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


@transaction.atomic
def option_type_create(*, name: str, values: list[str], slug: str | None = None) -> OptionType:
    """An option type with its values in the given order (positions 0, 1, ...)."""
    name = name_clean(name, max_length=60)
    cleaned = _values_clean(values, field="values", required=True)
    option_type = save_or_slug_taken(
        OptionType(
            name=name,
            slug=slug_unique(
                queryset=OptionType.objects.all(), name=name, slug=slug, max_length=60
            ),
        )
    )
    OptionValue.objects.bulk_create(
        OptionValue(option_type=option_type, value=value, slug=value_slug, position=i)
        for i, (value, value_slug) in enumerate(cleaned)
    )
    changed()
    return option_type


@transaction.atomic
def option_value_add(*, option_type: OptionType, value: str) -> OptionValue:
    """Add a value at the end of an option type's list (e.g. a new size "XXL")."""
    ((value, value_slug),) = _values_clean([value], field="value", required=True)
    if option_type.values.filter(slug=value_slug).exists():
        raise ApplicationError(
            f'"{value}" is already a value of {option_type.name}.',
            code=CatalogErrorCode.OPTION_VALUES_INVALID,
            field="value",
        )
    last = option_type.values.order_by("-position").values_list("position", flat=True).first()
    option_value = OptionValue.objects.create(
        option_type=option_type,
        value=value,
        slug=value_slug,
        position=0 if last is None else last + 1,
    )
    changed()
    return option_value


@transaction.atomic
def attribute_create(
    *, name: str, kind: str, choices: Iterable[str] = (), unit: str = "", slug: str | None = None
) -> Attribute:
    """A typed attribute; a "choice" attribute needs its choices, other kinds take none."""
    name = name_clean(name, max_length=60)
    if kind not in Attribute.Kind.values:
        raise ApplicationError(
            f"Choose one of: {', '.join(Attribute.Kind.values)}.",
            code=CatalogErrorCode.ATTRIBUTE_KIND_INVALID,
            field="kind",
        )
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
def product_type_create(
    *,
    name: str,
    option_types: Iterable[OptionType] = (),
    attributes: Iterable[Attribute] = (),
    slug: str | None = None,
) -> ProductType:
    """A product type. Its option types are kept in the given order, which is the order of the
    parts of a variant's name ("M / Blue" for Size then Colour)."""
    name = name_clean(name, max_length=80)
    product_type = save_or_slug_taken(
        ProductType(
            name=name,
            slug=slug_unique(
                queryset=ProductType.objects.all(), name=name, slug=slug, max_length=80
            ),
        )
    )
    # One add() per option type: the through rows' ids record the order.
    for option_type in option_types:
        product_type.option_types.add(option_type)
    product_type.attributes.set(list(attributes))
    changed()
    return product_type


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
