"""Collections: hand-picked, ordered sets of products."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import Collection, CollectionProduct, Product
from apps.catalog.sanitize import html_sanitize
from apps.catalog.services._common import (
    changed,
    fields_check,
    name_clean,
    save_or_slug_taken,
    slug_unique,
)
from apps.core.exceptions import ApplicationError

_UPDATABLE = {
    "name", "slug", "description", "is_published", "is_featured", "seo_title",
    "seo_description", "product_ids",
}  # fmt: skip


@transaction.atomic
def collection_create(
    *,
    name: str,
    slug: str | None = None,
    description: str = "",
    is_published: bool = False,
    is_featured: bool = False,
    product_ids: Iterable[int] = (),
    seo_title: str = "",
    seo_description: str = "",
) -> Collection:
    name = name_clean(name, max_length=120)
    collection = save_or_slug_taken(
        Collection(
            name=name,
            slug=slug_unique(
                queryset=Collection.objects.all(), name=name, slug=slug, max_length=120
            ),
            description=html_sanitize(description),
            is_published=bool(is_published),
            is_featured=bool(is_featured),
            seo_title=(seo_title or "").strip()[:70],
            seo_description=(seo_description or "").strip()[:160],
        )
    )
    if product_ids:
        _entries_replace(collection, product_ids)
    changed()
    return collection


@transaction.atomic
def collection_update(*, collection: Collection, **fields: Any) -> Collection:
    fields_check(fields, _UPDATABLE, "collection_update")
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if "name" in fields:
        collection.name = name_clean(fields["name"], max_length=120)
    if "slug" in fields and fields["slug"] != collection.slug:
        collection.slug = slug_unique(
            queryset=Collection.objects.all(),
            name=collection.name,
            slug=fields["slug"],
            max_length=120,
            exclude_pk=collection.pk,
        )
    if "description" in fields:
        collection.description = html_sanitize(fields["description"])
    for key in ("is_published", "is_featured"):
        if key in fields:
            setattr(collection, key, bool(fields[key]))
    if "seo_title" in fields:
        collection.seo_title = (fields["seo_title"] or "").strip()[:70]
    if "seo_description" in fields:
        collection.seo_description = (fields["seo_description"] or "").strip()[:160]
    save_or_slug_taken(collection)
    if "product_ids" in fields:
        _entries_replace(collection, fields["product_ids"] or ())
    changed()
    return collection


@transaction.atomic
def collection_set_products(*, collection: Collection, product_ids: Iterable[int]) -> Collection:
    """Replace the collection's products with these, in this order (repeats count once)."""
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    _entries_replace(collection, product_ids)
    collection.save(update_fields=["updated"])
    changed()
    return collection


@transaction.atomic
def collection_delete(*, collection: Collection) -> None:
    Collection.objects.filter(pk=collection.pk).delete()
    changed()


def _entries_replace(collection: Collection, product_ids: Iterable[int]) -> None:
    ordered = list(dict.fromkeys(int(pk) for pk in product_ids))
    found = set(Product.objects.filter(pk__in=ordered).values_list("pk", flat=True))
    missing = [pk for pk in ordered if pk not in found]
    if missing:
        raise ApplicationError(
            "Some products do not exist.",
            code=CatalogErrorCode.PRODUCT_NOT_FOUND,
            field="product_ids",
            extra={"product_ids": missing},
        )
    CollectionProduct.objects.filter(collection=collection).delete()
    CollectionProduct.objects.bulk_create(
        CollectionProduct(collection=collection, product_id=pk, position=i)
        for i, pk in enumerate(ordered)
    )
