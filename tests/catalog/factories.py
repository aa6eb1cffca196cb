"""Catalog objects for tests, built through the services (so derived data is right).

Call them inside a store's schema (`with schema_context(store_a.schema):`). Every helper has
sensible defaults; pass what the test is about.
"""

import io
from decimal import Decimal
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.catalog import services
from apps.catalog.models import Category, OptionType, Product, ProductImage, ProductType

_seq = count(1)


def image_upload(
    name: str = "photo.png",
    *,
    size: tuple[int, int] = (64, 48),
    image_format: str = "PNG",
    color: tuple[int, int, int] = (200, 40, 40),
) -> SimpleUploadedFile:
    """An in-memory image file made by Pillow, as a form or the API would hand it over."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image_format, "image/*")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def category(name: str | None = None, *, parent: Category | None = None, **fields) -> Category:
    return services.category_create(name=name or f"Category {next(_seq)}", parent=parent, **fields)


def product(
    name: str | None = None,
    *,
    price: Decimal | str | None = "19.99",
    publish: bool = False,
    **fields,
) -> Product:
    """A product without options and its default variant (price None: no variant)."""
    created = services.product_create(
        name=name or f"Product {next(_seq)}",
        price=Decimal(price) if price is not None else None,
        **fields,
    )
    if publish:
        created = services.product_set_status(product=created, status=Product.Status.PUBLISHED)
    return created


def size_colour_type(
    *, sizes: tuple[str, ...] = ("S", "M", "L"), colours: tuple[str, ...] = ("Red", "Blue")
) -> tuple[ProductType, OptionType, OptionType]:
    """A product type "Shirt" varying by Size then Colour."""
    n = next(_seq)
    size = services.option_type_create(name=f"Size {n}", slug=f"size-{n}", values=list(sizes))
    colour = services.option_type_create(
        name=f"Colour {n}", slug=f"colour-{n}", values=list(colours)
    )
    product_type = services.product_type_create(name=f"Shirt {n}", option_types=[size, colour])
    return product_type, size, colour


def product_with_variants(
    name: str | None = None,
    *,
    prices: dict[tuple[str, str], str] | None = None,
    publish: bool = False,
    sku_prefix: str | None = None,
    **fields,
) -> Product:
    """A product of a Size x Colour type with one variant per (size, colour) in `prices`
    (default: M/Red at 20.00 and L/Blue at 25.00); SKUs "<prefix>-<size>-<colour>"."""
    product_type, size, colour = size_colour_type()
    prices = prices or {("M", "Red"): "20.00", ("L", "Blue"): "25.00"}
    created = services.product_create(
        name=name or f"Shirt {next(_seq)}", product_type=product_type, **fields
    )
    prefix = sku_prefix or f"SKU{created.pk}"
    for (size_value, colour_value), price in prices.items():
        services.variant_create(
            product=created,
            sku=f"{prefix}-{size_value}-{colour_value}".upper(),
            price=Decimal(price),
            option_values=[
                size.values.get(value=size_value),
                colour.values.get(value=colour_value),
            ],
        )
    if publish:
        created = services.product_set_status(product=created, status=Product.Status.PUBLISHED)
    created.refresh_from_db()
    return created


def product_image(
    product: Product, *, alt_text: str = "A product photo", name: str = "photo.png", **kwargs
) -> ProductImage:
    return services.product_image_add(
        product=product, image_file=image_upload(name, **kwargs), alt_text=alt_text
    )
