"""Category tree writes: materialised paths ("men/shirts") kept right on create, move, rename;
the category image validated like a product image and stored under the store's prefix."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Concat, Substr

from apps.catalog import images
from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import Category
from apps.catalog.sanitize import html_sanitize
from apps.catalog.services._common import (
    changed,
    fields_check,
    name_clean,
    save_or_slug_taken,
    slug_unique,
)
from apps.core.exceptions import ApplicationError
from apps.core.storage import atomic_with_files

_PATH_MAX = Category._meta.get_field("path").max_length
_UPDATABLE = {
    "name", "slug", "parent", "description", "position", "seo_title", "seo_description", "image",
}  # fmt: skip


def _siblings(parent: Category | None):
    return Category.objects.filter(parent=parent)


def _image_checked(image: Any) -> str | None:
    """The upload's real format (image_too_large / image_invalid on "image"); None for an
    empty value, which means "no image"."""
    if not image:
        return None
    return images.image_validate(image, field="image")


def _image_store(category: Category, image: Any, image_format: str) -> None:
    # Under "<schema>/catalog/categories/", named from the upload's stem and its real format.
    name = images.upload_name(getattr(image, "name", ""), image_format)
    images.image_store(category.image, image, name)


def _files_delete_on_commit(*names: str) -> None:
    names = tuple(name for name in names if name)
    if names:
        transaction.on_commit(partial(images.image_files_delete, list(names)))


def _path_for(parent: Category | None, slug: str) -> str:
    path = f"{parent.path}/{slug}" if parent else slug
    if len(path) > _PATH_MAX:
        raise ApplicationError(
            "The category is nested too deeply.", code=CatalogErrorCode.SLUG_INVALID, field="slug"
        )
    return path


@atomic_with_files()
def category_create(
    *,
    name: str,
    slug: str | None = None,
    parent: Category | None = None,
    description: str = "",
    position: int = 0,
    seo_title: str = "",
    seo_description: str = "",
    image: Any = None,
) -> Category:
    """Create a category; `image` is an uploaded file (JPEG, PNG, WebP or GIF, at most
    CATALOG_IMAGE_MAX_BYTES), stored now and removed again if the category is not saved."""
    name = name_clean(name, max_length=120)
    image_format = _image_checked(image)
    slug = slug_unique(queryset=_siblings(parent), name=name, slug=slug, max_length=120)
    category = Category(
        parent=parent,
        name=name,
        slug=slug,
        path=_path_for(parent, slug),
        depth=parent.depth + 1 if parent else 0,
        position=position,
        description=html_sanitize(description),
        seo_title=seo_title,
        seo_description=seo_description,
    )
    if image_format:
        _image_store(category, image, image_format)
    save_or_slug_taken(category)
    changed()
    return category


@atomic_with_files()
def category_update(*, category: Category, **fields: Any) -> Category:
    """Change a category; a new parent or slug rewrites the paths of the whole subtree in one
    UPDATE. Moving a category under itself or one of its descendants is refused.

    `image`: an upload replaces the image, an empty value (None, "", False) removes it; the
    old file is deleted once the change commits (a rollback keeps it, and removes the new one).
    """
    fields_check(fields, _UPDATABLE, "category_update")
    new_image = fields.get("image")
    if isinstance(new_image, FieldFile) and new_image.name == category.image.name:
        del fields["image"]  # the stored image handed back unchanged (a form's initial value)
    image_format = _image_checked(new_image) if "image" in fields else None
    # Lock the row: two concurrent moves of one subtree must not interleave their path rewrites.
    category = Category.objects.select_for_update().get(pk=category.pk)
    old_path, old_depth = category.path, category.depth
    moved = "parent" in fields and getattr(fields["parent"], "pk", None) != category.parent_id
    if moved:
        parent = fields["parent"]
        if parent is not None:
            parent = Category.objects.get(pk=parent.pk)  # its current path, not a stale copy
            if parent.pk == category.pk or parent.path.startswith(f"{old_path}/"):
                raise ApplicationError(
                    "A category cannot be moved inside itself.",
                    code=CatalogErrorCode.CATEGORY_CYCLE,
                    field="parent",
                )
        category.parent = parent
        parent_path, depth = (parent.path, parent.depth + 1) if parent else ("", 0)
    else:
        # Unmoved: the parent's path is this path minus its last segment (no parent query).
        parent_path, depth = old_path.rpartition("/")[0], old_depth
    if "name" in fields:
        category.name = name_clean(fields["name"], max_length=120)
    wanted = fields.get("slug") or category.slug
    if moved or wanted != category.slug:
        category.slug = slug_unique(
            queryset=Category.objects.filter(parent_id=category.parent_id),
            name=category.name,
            slug=wanted,
            max_length=120,
            exclude_pk=category.pk,
        )
    category.path = f"{parent_path}/{category.slug}" if parent_path else category.slug
    if len(category.path) > _PATH_MAX:
        raise ApplicationError(
            "The category is nested too deeply.", code=CatalogErrorCode.SLUG_INVALID, field="slug"
        )
    category.depth = depth
    for key in ("position", "seo_title", "seo_description"):
        if key in fields:
            setattr(category, key, fields[key])
    if "description" in fields:
        category.description = html_sanitize(fields["description"])
    if "image" in fields:
        old_image = category.image.name
        if image_format:
            _image_store(category, new_image, image_format)
        else:
            category.image = ""
        _files_delete_on_commit(old_image)
    save_or_slug_taken(category)
    if category.path != old_path:
        # One UPDATE for every descendant: swap the old prefix for the new one.
        Category.objects.filter(path__startswith=f"{old_path}/").update(
            path=Concat(Value(category.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (category.depth - old_depth),
        )
    changed()
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Delete an empty category; its products stay, without a category, and its image file
    goes once the deletion commits. A category with subcategories is refused (move or delete
    them first)."""
    if Category.objects.filter(parent_id=category.pk).exists():
        raise ApplicationError(
            "Move or delete its subcategories first.",
            code=CatalogErrorCode.CATEGORY_HAS_CHILDREN,
            field="category",
        )
    _files_delete_on_commit(
        Category.objects.filter(pk=category.pk).values_list("image", flat=True).first() or ""
    )
    category.delete()
    changed()
