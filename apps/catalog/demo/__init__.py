"""The demo catalog: "Fernhill Outfitters", an outdoor, apparel and homeware shop.

Everything is written through apps.catalog.services (the same rules as the admin and the API):
a category tree, option types (Size, Colour, Shoe size) with variants, typed attributes, tags,
two collections (one featured on the home page), prices with some compare-at prices, and two
images per product drawn with Pillow (no downloads), every product published.

`demo_catalog_seed()` runs inside the store's schema (the caller uses `tenant_context`). It
only fills an empty catalog: a store that already has categories or products is left exactly as
it is, so running it again changes nothing. `products=N` tops the 35 hand-written products up
to N with generated editions of them (the benchmark's big catalog).
"""

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db import transaction

from apps.catalog import services
from apps.catalog.demo.data import (
    ATTRIBUTES,
    CATEGORIES,
    COLLECTIONS,
    COLOURS,
    EDITIONS,
    PRODUCT_TYPES,
    PRODUCTS,
    SHOE_SIZES,
    SIZES,
    DemoProduct,
)
from apps.catalog.demo.images import IMAGE_SIZE, demo_image
from apps.catalog.models import (
    Attribute,
    Category,
    Collection,
    OptionType,
    OptionValue,
    Product,
    ProductImage,
    ProductType,
    Variant,
)

IMAGES_PER_PRODUCT = 2
SKU_PREFIX = "FH"


@dataclass
class DemoCatalogResult:
    created: bool
    categories: int = 0
    products: int = 0
    variants: int = 0
    images: int = 0
    collections: int = 0

    def summary(self) -> str:
        return (
            f"{self.categories} categories, {self.products} products, {self.variants} variants, "
            f"{self.images} images, {self.collections} collections"
        )


Progress = Callable[[int, int, Product], None]


def demo_catalog_present() -> bool:
    """Whether the current store already has a catalog (then the seed leaves it alone)."""
    return Category.objects.exists() or Product.objects.exists()


def demo_catalog_seed(
    *,
    products: int | None = None,
    images_per_product: int = IMAGES_PER_PRODUCT,
    image_size: int = IMAGE_SIZE,
    progress: Progress | None = None,
) -> DemoCatalogResult:
    """Fill the current store's empty catalog with the demo catalog, all published.

    Runs in one transaction: a failure leaves the catalog empty, never half-built (and removes
    the image files it had already stored, which a rollback would not).
    """
    if demo_catalog_present():
        return DemoCatalogResult(
            created=False,
            categories=Category.objects.count(),
            products=Product.objects.count(),
            variants=Variant.objects.count(),
            images=ProductImage.objects.count(),
            collections=Collection.objects.count(),
        )
    wanted = products or len(PRODUCTS)
    stored: list[ProductImage] = []
    try:
        return _catalog_build(wanted, images_per_product, image_size, progress, stored)
    except BaseException:
        for image in stored:
            for name in (image.image.name, *image.thumbnails.values()):
                default_storage.delete(name)
        raise


def _catalog_build(
    wanted: int,
    images_per_product: int,
    image_size: int,
    progress: Progress | None,
    stored: list[ProductImage],
) -> DemoCatalogResult:
    with transaction.atomic():
        categories = _categories_create()
        option_values = _option_types_create()
        attributes = _attributes_create()
        product_types = _product_types_create(attributes)
        result = DemoCatalogResult(created=True, categories=len(categories))
        by_name: dict[str, Product] = {}
        for number, spec in enumerate(_specs(wanted), start=1):
            product, variants = _product_create(
                number=number,
                spec=spec,
                categories=categories,
                product_type=product_types[spec.product_type],
                option_values=option_values,
                attributes=attributes,
                images_per_product=images_per_product,
                image_size=image_size,
                stored=stored,
            )
            by_name[product.name] = product
            result.products += 1
            result.variants += variants
            result.images += images_per_product
            if progress is not None:
                progress(number, wanted, product)
        result.collections = _collections_create(by_name)
    return result


# --- steps ---------------------------------------------------------------------------------


def _categories_create() -> dict[str, Category]:
    created: dict[str, Category] = {}
    for position, (slug, name, parent, description) in enumerate(CATEGORIES):
        created[slug] = services.category_create(
            name=name,
            slug=slug,
            parent=created[parent] if parent else None,
            description=description,
            position=position,
            seo_description=description,
        )
    return created


def _option_types_create() -> dict[tuple[str, str], OptionValue]:
    """(option type slug, value) -> OptionValue, reusing option types the store already has."""
    wanted = {
        "size": ("Size", SIZES),
        "colour": ("Colour", list(COLOURS)),
        "shoe-size": (
            "Shoe size",
            SHOE_SIZES,
        ),
    }
    values: dict[tuple[str, str], OptionValue] = {}
    for slug, (name, names) in wanted.items():
        option_type = OptionType.objects.filter(slug=slug).first()
        if option_type is None:
            option_type = services.option_type_create(name=name, values=names, slug=slug)
        for value in OptionValue.objects.filter(option_type=option_type):
            values[(slug, value.value)] = value
    return values


def _attributes_create() -> dict[str, Attribute]:
    attributes: dict[str, Attribute] = {}
    for slug, (name, kind, choices, unit) in ATTRIBUTES.items():
        attribute = Attribute.objects.filter(slug=slug).first()
        if attribute is None:
            attribute = services.attribute_create(
                name=name, kind=kind, choices=choices, unit=unit, slug=slug
            )
        attributes[slug] = attribute
    return attributes


def _product_types_create(attributes: dict[str, Attribute]) -> dict[str, ProductType]:
    option_types = {option.slug: option for option in OptionType.objects.all()}
    types: dict[str, ProductType] = {}
    for slug, (name, options, attribute_slugs) in PRODUCT_TYPES.items():
        product_type = ProductType.objects.filter(slug=slug).first()
        if product_type is None:
            product_type = services.product_type_create(
                name=name,
                slug=slug,
                option_types=[option_types[option] for option in options],
                attributes=[attributes[attribute] for attribute in attribute_slugs],
            )
        types[slug] = product_type
    return types


def _specs(wanted: int) -> Iterable[DemoProduct]:
    """The hand-written products, then generated editions of them until there are `wanted`."""
    base = PRODUCTS[:wanted]
    yield from base
    for number in range(wanted - len(base)):
        spec = PRODUCTS[number % len(PRODUCTS)]
        edition = EDITIONS[(number // len(PRODUCTS)) % len(EDITIONS)]
        # Past one round of every edition, number the rounds so names stay unique.
        round_no = number // (len(EDITIONS) * len(PRODUCTS))
        suffix = f" {round_no + 1}" if round_no else ""
        yield DemoProduct(
            name=f"{spec.name}, {edition} edition{suffix}",
            category=spec.category,
            product_type=spec.product_type,
            price=spec.price,
            blurb=spec.blurb,
            features=(*spec.features, f"{edition} edition colours"),
            # One colour per edition keeps a big catalog's variant count believable.
            colours=spec.colours[number % len(spec.colours) :][:1] if spec.colours else (),
            sizes=spec.sizes,
            compare_at=spec.compare_at,
            tags=spec.tags,
            attributes=spec.attributes,
            size_prices=spec.size_prices,
            motif=spec.motif,
        )


def _description(spec: DemoProduct) -> str:
    features = "".join(f"<li>{feature}</li>" for feature in spec.features)
    return f"<p>{spec.blurb}</p><ul>{features}</ul>"


def _product_create(
    *,
    number: int,
    spec: DemoProduct,
    categories: dict[str, Category],
    product_type: ProductType,
    option_values: dict[tuple[str, str], OptionValue],
    attributes: dict[str, Attribute],
    images_per_product: int,
    image_size: int,
    stored: list[ProductImage],
) -> tuple[Product, int]:
    code = f"{SKU_PREFIX}{number:04d}"
    price = Decimal(spec.price)
    compare_at = Decimal(spec.compare_at) if spec.compare_at else None
    has_options = bool(spec.colours or spec.sizes)
    product = services.product_create(
        name=spec.name,
        description=_description(spec),
        product_type=product_type,
        category=categories[spec.category],
        tags=list(spec.tags),
        seo_description=spec.blurb[:160],
        price=None if has_options else price,
        sku=None if has_options else code,
        compare_at_price=None if has_options else compare_at,
    )
    for slug, value in spec.attributes.items():
        services.product_attribute_set(product=product, attribute=attributes[slug], value=value)

    variants = 1
    if has_options:
        size_type = "shoe-size" if spec.product_type == "footwear" else "size"
        sizes: tuple[str | None, ...] = spec.sizes or (None,)
        colours: tuple[str | None, ...] = spec.colours or (None,)
        variants = 0
        for position, (colour, size) in enumerate(itertools.product(colours, sizes)):
            chosen = []
            sku = code
            if size is not None:
                chosen.append(option_values[(size_type, size)])
                sku += f"-{size.replace('EU ', '').upper()[:3]}"
            if colour is not None:
                chosen.append(option_values[("colour", colour)])
                sku += f"-{colour.upper()[:3]}"
            services.variant_create(
                product=product,
                sku=sku,
                price=Decimal(spec.size_prices.get(size or "", spec.price)),
                option_values=chosen,
                compare_at_price=compare_at,
                position=position,
            )
            variants += 1

    palette = [COLOURS[colour] for colour in spec.colours] or [_category_colour(spec.category)]
    for index in range(images_per_product):
        colour_name = spec.colours[index % len(spec.colours)] if spec.colours else None
        alt = spec.name if colour_name is None else f"{spec.name} in {colour_name}"
        if index:
            alt += ", detail view"
        image = services.product_image_add(
            product=product,
            image_file=demo_image(
                name=spec.name,
                background=palette[index % len(palette)],
                motif=spec.motif,
                view=index,
                size=image_size,
                filename=f"{product.slug}-{index + 1}.jpg",
            ),
            alt_text=alt,
            position=index,
        )
        stored.append(image)
    product = services.product_set_status(product=product, status=Product.Status.PUBLISHED)
    return product, variants


def _collections_create(products: dict[str, Product]) -> int:
    for slug, (name, description, featured, names) in COLLECTIONS.items():
        services.collection_create(
            name=name,
            slug=slug,
            description=description,
            is_published=True,
            is_featured=featured,
            product_ids=[products[name].pk for name in names if name in products],
        )
    return len(COLLECTIONS)


def _category_colour(category: str) -> str:
    return {
        "sleeping": "#4d6b53",
        "camp-kitchen": "#8c5a3c",
        "kitchen-table": "#c9b79c",
        "textiles": "#7d6b8a",
    }.get(category, "#55707f")


# --- images --------------------------------------------------------------------------------
