"""Product image writes: validated uploads, thumbnails made once, files removed on delete.

Writes that store files run in atomic_with_files: if the row is not committed (a failed
thumbnail, a refused insert), the original and the thumbnails already stored are deleted.
"""

from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.catalog import images
from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import Product, ProductImage
from apps.catalog.services._common import changed
from apps.core.exceptions import ApplicationError
from apps.core.storage import atomic_with_files

ALT_MAX = ProductImage._meta.get_field("alt_text").max_length


def _alt_clean(alt_text: str | None, product: Product) -> str:
    alt_text = " ".join((alt_text or "").split())[:ALT_MAX]
    if not alt_text and product.status == Product.Status.PUBLISHED:
        raise ApplicationError(
            "Images of a published product need alt text (what the image shows).",
            code=CatalogErrorCode.IMAGE_ALT_MISSING,
            field="alt_text",
        )
    return alt_text


def _next_position(product: Product) -> int:
    last = (
        ProductImage.objects.filter(product=product)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def _store(product: Product, content: Any, name: str, alt_text: str, position: int | None):
    image = ProductImage(
        product=product,
        alt_text=alt_text,
        position=_next_position(product) if position is None else position,
    )
    # Saves the original through default_storage (under the store's prefix), reads its size.
    images.image_store(image.image, content, name)
    image.thumbnails, (image.width, image.height) = images.thumbnails_make(image.image.name)
    image.save()
    Product.objects.filter(pk=product.pk).update(updated=timezone.now())
    return image


@atomic_with_files()
def product_image_add(
    *, product: Product, image_file: Any, alt_text: str = "", position: int | None = None
) -> ProductImage:
    """Add an uploaded image (JPEG, PNG, WebP or GIF, at most CATALOG_IMAGE_MAX_BYTES) at the
    end of the gallery or at `position`; its thumbnails are made now, once."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    alt_text = _alt_clean(alt_text, product)
    image_format = images.image_validate(image_file)
    name = images.upload_name(getattr(image_file, "name", ""), image_format)
    image = _store(product, image_file, name, alt_text, position)
    changed()
    return image


@atomic_with_files()
def product_image_copy(*, image: ProductImage, product: Product) -> ProductImage:
    """A copy of an image (new files) for another product; used by product_duplicate. (Its
    files go if the copy fails; those of copies that succeeded go with a failing duplicate
    only if product_duplicate runs in atomic_with_files too, else with the media sweep.)"""
    with image.image.open("rb") as handle:
        content = ContentFile(handle.read())
    name = image.image.name.rsplit("/", 1)[-1]
    return _store(product, content, name, image.alt_text, image.position)


@transaction.atomic
def product_image_update(
    *, image: ProductImage, alt_text: str | None = None, position: int | None = None
) -> ProductImage:
    image = ProductImage.objects.select_related("product").get(pk=image.pk)
    if alt_text is not None:
        image.alt_text = _alt_clean(alt_text, image.product)
    if position is not None:
        image.position = position
    image.save(update_fields=["alt_text", "position"])
    Product.objects.filter(pk=image.product_id).update(updated=timezone.now())
    changed()
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage) -> None:
    """Delete an image; its original and thumbnails are removed once the deletion commits."""
    files = [image.image.name, *(image.thumbnails or {}).values()]
    ProductImage.objects.filter(pk=image.pk).delete()
    Product.objects.filter(pk=image.product_id).update(updated=timezone.now())
    transaction.on_commit(partial(images.image_files_delete, files))
    changed()
