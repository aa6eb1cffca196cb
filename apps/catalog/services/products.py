"""Product writes: create/update, publishing rules, bulk status, duplicate, delete, attributes."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.images import image_files_delete
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductType,
    Tag,
    Variant,
)
from apps.catalog.sanitize import html_sanitize
from apps.catalog.services._common import (
    changed,
    fields_check,
    money_clean,
    name_clean,
    save_or_slug_taken,
    slug_unique,
)
from apps.catalog.services._derived import product_derived_refresh
from apps.catalog.services.types import product_type_option_types
from apps.catalog.services.variants import sku_generate, variant_insert, variant_update
from apps.core.exceptions import ApplicationError

_SLUG_MAX = Product._meta.get_field("slug").max_length
_UPDATABLE = {
    "name", "slug", "description", "product_type", "category", "tags", "seo_title",
    "seo_description", "price", "sku", "compare_at_price", "status", "attributes",
}  # fmt: skip


def _tags_resolve(names: Iterable[str]) -> list[Tag]:
    """Tags by name, created when new; matched by slug, so "Summer" and "summer" are one tag."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:60]
        slug = slugify(name)[:60]
        if slug and slug not in wanted:
            wanted[slug] = name
    if not wanted:
        return []
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in wanted.items()], ignore_conflicts=True
    )
    return list(Tag.objects.filter(slug__in=wanted))


def _has_options(product_type: ProductType | None) -> bool:
    return product_type is not None and product_type.option_types.exists()


def _options_refused(product_type: ProductType) -> ApplicationError:
    return ApplicationError(
        f'Products of type "{product_type.name}" have a variant per option combination: '
        "give each variant its own SKU and price.",
        code=CatalogErrorCode.VARIANT_OPTIONS_INVALID,
        field="price",
    )


@transaction.atomic
def product_create(
    *,
    name: str,
    slug: str | None = None,
    description: str = "",
    product_type: ProductType | None = None,
    category: Category | None = None,
    tags: Iterable[str] = (),
    seo_title: str = "",
    seo_description: str = "",
    price: Decimal | None = None,
    sku: str | None = None,
    compare_at_price: Decimal | None = None,
    attributes: dict[str, Any] | None = None,
) -> Product:
    """A draft product. Without options (no type, or a type without option types) it gets its
    one default variant from `price` (and `sku`, generated from the slug when omitted); a
    product whose type has options gets its variants from variant_create. `attributes`: see
    product_attributes_apply."""
    name = name_clean(name)
    has_options = _has_options(product_type)
    if has_options and (price is not None or sku or compare_at_price is not None):
        raise _options_refused(product_type)
    money_clean(price, field="price")  # refuse a bad price before anything is written
    money_clean(compare_at_price, field="compare_at_price")
    product = save_or_slug_taken(
        Product(
            name=name,
            slug=slug_unique(
                queryset=Product.objects.all(), name=name, slug=slug, max_length=_SLUG_MAX
            ),
            description=html_sanitize(description),
            product_type=product_type,
            category=category,
            seo_title=(seo_title or "").strip()[:70],
            seo_description=(seo_description or "").strip()[:160],
        )
    )
    if tags:
        product.tags.set(_tags_resolve(tags))
    if not has_options and price is not None:
        variant_insert(
            product=product,
            sku=sku or sku_generate(product.slug),
            price=price,
            compare_at_price=compare_at_price,
            position=0,
        )
    if attributes:
        product_attributes_apply(product=product, values=attributes)
    product_derived_refresh(product.pk)
    changed()
    product.refresh_from_db()
    return product


def _product_lock(product: Product) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("product_type")
        .get(pk=product.pk)
    )


@transaction.atomic
def product_update(*, product: Product, **fields: Any) -> Product:
    """Change a product. `price`, `sku` and `compare_at_price` change (or create) the default
    variant of a product without options. Changing the name keeps the slug (stable URLs)
    unless a new slug is given. `status` goes through the publishing rules."""
    fields_check(fields, _UPDATABLE, "product_update")
    product = _product_lock(product)
    if "name" in fields:
        product.name = name_clean(fields["name"])
    if "slug" in fields and fields["slug"] != product.slug:
        product.slug = slug_unique(
            queryset=Product.objects.all(),
            name=product.name,
            slug=fields["slug"],
            max_length=_SLUG_MAX,
            exclude_pk=product.pk,
        )
    if "description" in fields:
        product.description = html_sanitize(fields["description"])
    if "category" in fields:
        product.category = fields["category"]
    if "seo_title" in fields:
        product.seo_title = (fields["seo_title"] or "").strip()[:70]
    if "seo_description" in fields:
        product.seo_description = (fields["seo_description"] or "").strip()[:160]
    if "product_type" in fields and fields["product_type"] != product.product_type:
        _product_type_change(product, fields["product_type"])
    save_or_slug_taken(product)
    if "tags" in fields:
        product.tags.set(_tags_resolve(fields["tags"] or ()))
    default_fields = {k: fields[k] for k in ("price", "sku", "compare_at_price") if k in fields}
    if default_fields:
        _default_variant_write(product, default_fields)
    if "status" in fields and fields["status"] != product.status:
        _status_apply(product, fields["status"])
        product.save(update_fields=["status", "published_at", "updated"])
    if fields.get("attributes"):
        product_attributes_apply(product=product, values=fields["attributes"])
    product_derived_refresh(product.pk)
    changed()
    product.refresh_from_db()
    return product


def _product_type_change(product: Product, new_type: ProductType | None) -> None:
    """A product's type may change while its variants still fit: same option types."""
    old_options = {t.pk for t in product_type_option_types(product.product_type)}
    new_options = {t.pk for t in product_type_option_types(new_type)}
    if old_options != new_options and Variant.objects.filter(product=product).exists():
        raise ApplicationError(
            "The new type has other options than this product's variants; "
            "delete the variants first.",
            code=CatalogErrorCode.PRODUCT_TYPE_LOCKED,
            field="product_type",
        )
    # Attribute values the new type does not describe would be invisible orphans.
    keep = new_type.attributes.values("pk") if new_type is not None else []
    ProductAttributeValue.objects.filter(product=product).exclude(attribute__in=keep).delete()
    product.product_type = new_type


def _default_variant_write(product: Product, values: dict[str, Any]) -> None:
    if _has_options(product.product_type):
        raise _options_refused(product.product_type)
    variant = Variant.objects.filter(product=product).first()
    if variant is not None:
        variant_update(variant=variant, **values)
    elif values.get("price") is not None:
        variant_insert(
            product=product,
            sku=values.get("sku") or sku_generate(product.slug),
            price=values["price"],
            compare_at_price=values.get("compare_at_price"),
            position=0,
        )
    else:
        money_clean(None, field="price", required=True)  # raises price_required


def _publish_check(product: Product) -> None:
    if not Variant.objects.filter(product=product).exists():
        raise ApplicationError(
            f'"{product.name}" has no price yet: give it a price (or a variant) before publishing.',
            code=CatalogErrorCode.PUBLISH_WITHOUT_PRICE,
            field="price",
            extra={"product_id": product.pk},
        )
    missing = list(
        ProductImage.objects.filter(product=product, alt_text="").values_list("pk", flat=True)
    )
    if missing:
        raise ApplicationError(
            f'Describe every image of "{product.name}" (alt text) before publishing.',
            code=CatalogErrorCode.IMAGE_ALT_MISSING,
            field="alt_text",
            extra={"product_id": product.pk, "image_ids": missing},
        )


def _status_apply(product: Product, status: str) -> bool:
    """Set the status on the (locked) instance; whether it changed. Not saved."""
    if status not in Product.Status.values:
        raise ApplicationError(
            f"Choose one of: {', '.join(Product.Status.values)}.",
            code=CatalogErrorCode.STATUS_INVALID,
            field="status",
        )
    if status == product.status:
        return False
    if status == Product.Status.PUBLISHED:
        _publish_check(product)
        # The first publication date stays: "new arrivals" do not jump back on re-publish.
        product.published_at = product.published_at or timezone.now()
    product.status = status
    return True


@transaction.atomic
def product_set_status(*, product: Product, status: str) -> Product:
    """Draft, publish or archive. Publishing needs a variant (so a price) and alt text on every
    image; the first publication sets published_at."""
    product = _product_lock(product)
    if _status_apply(product, status):
        product.save(update_fields=["status", "published_at", "updated"])
        changed()
    return product


@transaction.atomic
def products_bulk_set_status(*, product_ids: Iterable[int], status: str) -> int:
    """Set the status of many products, all or nothing: the first product that cannot take it
    stops the whole change (its id is in the error's extra). How many products changed."""
    ids = sorted({int(pk) for pk in product_ids})
    # Locked in id order, as every multi-row lock in the project, so two bulk edits never
    # deadlock.
    products = list(Product.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    missing = sorted(set(ids) - {p.pk for p in products})
    if missing:
        raise ApplicationError(
            "Some products do not exist.",
            code=CatalogErrorCode.PRODUCT_NOT_FOUND,
            field="product_ids",
            extra={"product_ids": missing},
        )
    changed_products = [p for p in products if _status_apply(p, status)]
    if changed_products:
        Product.objects.bulk_update(changed_products, ["status", "published_at", "updated"])
        changed()
    return len(changed_products)


@transaction.atomic
def product_duplicate(*, product: Product) -> Product:
    """A draft copy named "<name> (copy)" with a new slug, new SKUs ("<sku>-COPY"), the same
    options, tags, attributes, collections-free, and copies of the image files."""
    from apps.catalog.services.product_images import product_image_copy

    source = Product.objects.select_related("product_type").get(pk=product.pk)
    name = name_clean(f"{source.name} (copy)"[:200])
    copy = save_or_slug_taken(
        Product(
            name=name,
            slug=slug_unique(
                queryset=Product.objects.all(), name=name, slug=None, max_length=_SLUG_MAX
            ),
            description=source.description,
            product_type=source.product_type,
            category_id=source.category_id,
            seo_title=source.seo_title,
            seo_description=source.seo_description,
        )
    )
    copy.tags.set(source.tags.all())
    ProductAttributeValue.objects.bulk_create(
        ProductAttributeValue(
            product=copy,
            attribute_id=value.attribute_id,
            value_text=value.value_text,
            value_number=value.value_number,
            value_boolean=value.value_boolean,
            value_choice_id=value.value_choice_id,
        )
        for value in source.attribute_values.all()
    )
    for variant in source.variants.prefetch_related("option_values"):
        variant_insert(
            product=copy,
            sku=sku_generate(f"{variant.sku[:52]}-COPY"),
            price=variant.price,
            option_values=list(variant.option_values.all()),
            compare_at_price=variant.compare_at_price,
            cost=variant.cost,
            weight_grams=variant.weight_grams,
            barcode=variant.barcode,
            position=variant.position,
        )
    for image in source.images.all():
        product_image_copy(image=image, product=copy)
    product_derived_refresh(copy.pk)
    changed()
    copy.refresh_from_db()
    return copy


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product with its variants and images; the image files go once the deletion
    has committed (a rolled-back delete keeps them)."""
    files = []
    for original, thumbnails in ProductImage.objects.filter(product=product).values_list(
        "image", "thumbnails"
    ):
        files += [original, *(thumbnails or {}).values()]
    Product.objects.filter(pk=product.pk).delete()
    if files:
        transaction.on_commit(partial(image_files_delete, files))
    changed()


@transaction.atomic
def product_attribute_set(
    *, product: Product, attribute: Attribute, value: Any
) -> ProductAttributeValue:
    """Set one attribute of a product, typed by the attribute's kind: text (str), number
    (Decimal or numeric string), boolean, choice (an AttributeChoice, its id, slug or value).
    The attribute must belong to the product's type."""
    if (
        product.product_type_id is None
        or not product.product_type.attributes.filter(pk=attribute.pk).exists()
    ):
        raise ApplicationError(
            f'"{attribute.name}" is not an attribute of this product\'s type.',
            code=CatalogErrorCode.ATTRIBUTE_INVALID,
            field="attribute",
        )
    columns = {"value_text": "", "value_number": None, "value_boolean": None, "value_choice": None}
    columns.update(_attribute_value_clean(attribute, value))
    row, _ = ProductAttributeValue.objects.update_or_create(
        product=product, attribute=attribute, defaults=columns
    )
    Product.objects.filter(pk=product.pk).update(updated=timezone.now())
    changed()
    return row


@transaction.atomic
def product_attributes_apply(*, product: Product, values: dict[str, Any]) -> None:
    """Set several attributes at once, by attribute slug: {slug: value}, a None value removing
    that attribute's value. All or nothing; an error names the attribute as `attributes.<slug>`."""
    by_slug = Attribute.objects.in_bulk(list(values), field_name="slug")
    for slug, value in values.items():
        field = f"attributes.{slug}"
        attribute = by_slug.get(slug)
        if attribute is None:
            raise ApplicationError(
                f'There is no attribute "{slug}".',
                code=CatalogErrorCode.ATTRIBUTE_INVALID,
                field=field,
            )
        try:
            if value is None:
                ProductAttributeValue.objects.filter(product=product, attribute=attribute).delete()
            else:
                product_attribute_set(product=product, attribute=attribute, value=value)
        except ApplicationError as error:
            error.field = field
            raise
    Product.objects.filter(pk=product.pk).update(updated=timezone.now())
    changed()


def _attribute_value_clean(attribute: Attribute, value: Any) -> dict[str, Any]:
    invalid = ApplicationError(
        f'Not a valid value for "{attribute.name}".',
        code=CatalogErrorCode.ATTRIBUTE_VALUE_INVALID,
        field="value",
    )
    kind = attribute.kind
    if kind == Attribute.Kind.TEXT:
        text = " ".join(str(value or "").split())
        if not text or len(text) > 255:
            raise invalid
        return {"value_text": text}
    if kind == Attribute.Kind.NUMBER:
        if isinstance(value, bool | float):
            raise invalid
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise invalid from None
        if not number.is_finite() or abs(number) >= Decimal("1e10") or number != round(number, 4):
            raise invalid
        return {"value_number": number}
    if kind == Attribute.Kind.BOOLEAN:
        if not isinstance(value, bool):
            raise invalid
        return {"value_boolean": value}
    choices = AttributeChoice.objects.filter(attribute=attribute)
    if isinstance(value, AttributeChoice):
        choice = choices.filter(pk=value.pk).first()
    elif isinstance(value, int):
        choice = choices.filter(pk=value).first()
    else:
        choice = choices.filter(slug=slugify(str(value or ""))).first()
    if choice is None:
        raise invalid
    return {"value_choice": choice}
