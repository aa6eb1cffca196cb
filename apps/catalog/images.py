"""Catalog image files (products and categories): validation of uploads, thumbnails made
once, their URLs and removal.

Files go through `default_storage`, whose paths carry the store's schema
(apps.core.storage), so two stores' "shirt.jpg" never collide. Every file stored here is noted
with apps.core.storage.file_written, so a service's atomic_with_files block removes it again if
the service's transaction does not commit.
"""

import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.catalog.errors import CatalogErrorCode
from apps.core.exceptions import ApplicationError
from apps.core.storage import file_written

# Longest side in pixels of each size the storefront uses (product cards, gallery, zoom).
THUMBNAIL_SIZES: dict[str, int] = {"thumb": 160, "card": 480, "large": 1200}
THUMBNAIL_DIR = "catalog/thumbs"
THUMBNAIL_QUALITY = 82
# Decoded size limit: a small file can decode to gigabytes (a "decompression bomb"); 40 MP is
# more than any phone or shop camera makes.
MAX_PIXELS = 40_000_000
# Pillow format name -> the extension the stored original gets (never the uploader's).
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_validate(image_file, *, field: str = "image_file") -> str:
    """Check an upload is a JPEG/PNG/WebP/GIF image within CATALOG_IMAGE_MAX_BYTES; its format.

    Raises ApplicationError image_too_large or image_invalid (not an image, or an image in
    another format: extra {"format": ...}) on `field`. Leaves the file at position 0.
    """
    limit = settings.CATALOG_IMAGE_MAX_BYTES
    size = getattr(image_file, "size", None)
    if size is None:
        image_file.seek(0, io.SEEK_END)
        size = image_file.tell()
    if size > limit:
        raise ApplicationError(
            f"The image is too large ({size / 1_048_576:.1f} MB); the limit is "
            f"{limit / 1_048_576:.0f} MB.",
            code=CatalogErrorCode.IMAGE_TOO_LARGE,
            field=field,
            extra={"size": size, "limit": limit},
        )
    invalid = ApplicationError(
        "Upload a JPEG, PNG, WebP or GIF image.", code=CatalogErrorCode.IMAGE_INVALID, field=field
    )
    try:
        image_file.seek(0)
        with Image.open(image_file) as img:
            image_format = img.format
            width, height = img.size
            img.verify()  # structure and checksums; the image cannot be used after this
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid from None
    finally:
        image_file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ApplicationError(
            f"{image_format} images are not accepted: upload a JPEG, PNG, WebP or GIF image.",
            code=CatalogErrorCode.IMAGE_INVALID,
            field=field,
            extra={"format": image_format},
        )
    if width * height > MAX_PIXELS:
        raise ApplicationError(
            f"The image is too large ({width} x {height} pixels); the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels.",
            code=CatalogErrorCode.IMAGE_TOO_LARGE,
            field=field,
            extra={"pixels": width * height, "limit_pixels": MAX_PIXELS},
        )
    return image_format


def upload_name(original_name: str, image_format: str) -> str:
    """A safe file name: slug of the uploader's stem plus the extension of the real format."""
    stem = slugify(PurePosixPath(original_name or "").stem)[:80] or "image"
    return f"{stem}.{ALLOWED_FORMATS[image_format]}"


def _thumbnail_bytes(img: Image.Image, max_side: int) -> bytes:
    copy = img.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)  # never enlarges
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
    return out.getvalue()


def image_store(field_file, upload, name: str) -> str:
    """Save an upload through a model's (unsaved) FieldFile under the store's prefix; the name
    it got. Noted for the enclosing atomic_with_files block."""
    field_file.save(name, upload, save=False)
    file_written(field_file.name)
    return field_file.name


def thumbnails_make(
    stored_name: str, *, field: str = "image_file"
) -> tuple[dict[str, str], tuple[int, int]]:
    """Make every THUMBNAIL_SIZES rendition of a stored original, once:
    ({size: storage name}, the original's upright (width, height)).

    WebP for all (every browser we support shows it; smaller than JPEG at equal quality);
    animated GIFs become their first frame. An original that passed image_validate but does not
    decode (a truncated JPEG: verify() only checks the structure) is image_invalid on `field`.
    """
    with default_storage.open(stored_name, "rb") as handle, Image.open(handle) as source:
        try:
            source.seek(0)
            # Phone photos are often stored sideways with an EXIF "rotate" note: thumbnails
            # (and the recorded width and height) are upright.
            upright = ImageOps.exif_transpose(source)
            dimensions = upright.size
            img = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ApplicationError(
                "The image is damaged (it could not be read to the end); upload it again.",
                code=CatalogErrorCode.IMAGE_INVALID,
                field=field,
            ) from None
    stem = PurePosixPath(stored_name).stem
    names = {}
    for size, max_side in THUMBNAIL_SIZES.items():
        # generate_filename puts the store prefix into the stored name itself, so the name
        # means the same file whichever schema the connection is in when it is used.
        wanted = default_storage.generate_filename(f"{THUMBNAIL_DIR}/{stem}-{size}.webp")
        names[size] = default_storage.save(wanted, ContentFile(_thumbnail_bytes(img, max_side)))
        file_written(names[size])
    return names, dimensions


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)


def thumbnail_url(image, size: str) -> str:
    """URL of a ProductImage's rendition `size` (a THUMBNAIL_SIZES key), else the original's."""
    name = (image.thumbnails or {}).get(size)
    if name:
        return default_storage.url(name)
    return image.image.url if image.image else ""


def image_files_delete(names: list[str]) -> None:
    """Remove stored files; missing ones are fine (delete is safe to run twice)."""
    for name in names:
        if name:
            default_storage.delete(name)
