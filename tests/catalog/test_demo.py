"""The demo catalog that `seed_demo` builds: its shape, its idempotence, and that it touches
only the demo store."""

from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Max
from django_tenants.utils import schema_context
from PIL import Image

from apps.catalog import demo, services
from apps.catalog.demo import data
from apps.catalog.demo.images import demo_image, initials
from apps.catalog.models import (
    Attribute,
    Category,
    Collection,
    OptionType,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductType,
    Tag,
    Variant,
)
from apps.core import demo as core_demo
from apps.core.exceptions import ApplicationError
from tenants.models import Tenant

# 35 hand-written products; 209 variants: one per colour x size (one for a product with neither).
PRODUCTS = 35
VARIANTS = 209
CATEGORIES = 12


@pytest.fixture
def media_root() -> Path:
    # tests/conftest.py points MEDIA_ROOT at a directory of this test's own.
    return Path(settings.MEDIA_ROOT)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _demo_store() -> Tenant:
    return Tenant.objects.get(slug=core_demo.DEMO_STORE_SLUG)


def _catalog_snapshot() -> dict:
    """Everything a rerun could change: row counts and the newest write of each kind."""
    return {
        "counts": [
            model.objects.count()
            for model in (
                Category,
                OptionType,
                Attribute,
                ProductType,
                Tag,
                Product,
                Variant,
                ProductImage,
                ProductAttributeValue,
                Collection,
            )
        ],
        "categories": Category.objects.aggregate(Max("updated")),
        "products": Product.objects.aggregate(Max("updated")),
        "variants": Variant.objects.aggregate(Max("updated")),
        "images": sorted(ProductImage.objects.values_list("image", flat=True)),
    }


def test_seed_demo_fills_the_demo_store_with_a_published_catalog(db, media_root):
    # when
    output = _seed()

    # then: the promised shape
    store = _demo_store()
    with schema_context(store.schema_name):
        assert Category.objects.count() == CATEGORIES
        roots = Category.objects.filter(parent=None)
        assert roots.count() == 5
        assert set(Category.objects.exclude(parent=None).values_list("path", flat=True)) == {
            "clothing/jackets",
            "clothing/tops",
            "clothing/knitwear",
            "camping/sleeping",
            "camping/camp-kitchen",
            "home/kitchen-table",
            "home/textiles",
        }
        assert set(OptionType.objects.values_list("name", flat=True)) == {
            "Size",
            "Colour",
            "Shoe size",
        }
        assert Attribute.objects.count() == 4
        assert Product.objects.count() == PRODUCTS
        assert Product.objects.filter(status=Product.Status.PUBLISHED).count() == PRODUCTS
        assert Variant.objects.count() == VARIANTS
        assert Tag.objects.count() >= 10

        # every published product has a priced variant and two described images
        for product in Product.objects.annotate(
            variant_count=Count("variants", distinct=True),
            image_count=Count("images", distinct=True),
        ):
            assert product.variant_count >= 1, product.name
            assert product.price_min is not None, product.name
            assert product.price_min > 0, product.name
            assert product.image_count == 2, product.name
            assert product.category_id is not None, product.name
            assert product.description.startswith("<p>"), product.name
        assert not ProductImage.objects.filter(alt_text="").exists()
        image = ProductImage.objects.select_related("product").order_by("product_id").first()
        assert (image.width, image.height) == (800, 800)
        assert image.alt_text == f"{image.product.name} in Slate"
        assert image.thumbnails  # made once, at upload
        assert (media_root / store.schema_name / image.image.name.split("/", 1)[1]).is_file()

        # options: a shell in 5 sizes x 3 colours, a sleeping bag whose long size costs more
        shell = Product.objects.get(slug="ridgeline-waterproof-shell")
        assert shell.variants.count() == 15
        variant = shell.variants.get(name="M / Moss")
        assert sorted(variant.option_values.values_list("value", flat=True)) == ["M", "Moss"]
        assert variant.price == Decimal("189.00")
        assert variant.compare_at_price == Decimal("229.00")
        bag = Product.objects.get(slug="ember-three-season-sleeping-bag")
        assert dict(bag.variants.filter(name__endswith="/ Rust").values_list("name", "price")) == {
            "Regular / Rust": Decimal("179.00"),
            "Long / Rust": Decimal("195.00"),
        }
        assert (bag.price_min, bag.price_max) == (Decimal("179.00"), Decimal("195.00"))
        mug = Product.objects.get(slug="titanium-spork")
        assert list(mug.variants.values_list("is_default", "price")) == [(True, Decimal("14.00"))]
        assert (
            Product.objects.filter(variants__compare_at_price__isnull=False).distinct().count() == 9
        )
        assert ProductAttributeValue.objects.filter(
            product=shell, attribute__slug="waterproof", value_boolean=True
        ).exists()

        # collections: one featured for the home page, both published, in the given order
        featured = Collection.objects.get(is_featured=True)
        assert featured.slug == "autumn-trail-edit"
        assert Collection.objects.filter(is_published=True).count() == 2
        assert [entry.product.name for entry in featured.entries.select_related("product")] == (
            data.COLLECTIONS["autumn-trail-edit"][3]
        )

    # and the command said what it did, with progress while it built the products
    assert "Building the demo catalog (35 products) ..." in output
    assert " 35/35 products (Insulated Steel Bottle 750 ml)" in output
    assert (
        f"created demo catalog ({CATEGORIES} categories, {PRODUCTS} products, {VARIANTS} "
        "variants, 70 images, 2 collections)" in output
    )


def test_seed_demo_twice_leaves_the_catalog_exactly_as_it_was(db):
    # given
    _seed()
    store = _demo_store()
    with schema_context(store.schema_name):
        before = _catalog_snapshot()

    # when
    output = _seed()

    # then
    assert "nothing changed" in output
    assert f"catalog of {PRODUCTS} products" in output
    assert "Building the demo catalog" not in output
    with schema_context(store.schema_name):
        assert _catalog_snapshot() == before


def test_seed_demo_touches_only_the_demo_store(db, store_a, store_b, media_root):
    # when
    _seed()

    # then: the other stores' catalogs stay empty, and no file lands under their prefix
    for other in (store_a, store_b):
        with schema_context(other.schema):
            assert [
                model.objects.count()
                for model in (Category, OptionType, Product, Variant, ProductImage, Collection)
            ] == [0, 0, 0, 0, 0, 0]
    assert sorted(path.name for path in media_root.iterdir()) == [_demo_store().schema_name]


def test_a_catalog_the_merchant_started_is_left_alone(store_a):
    # given: a store with one category of its own
    with schema_context(store_a.schema):
        services.category_create(name="Kites")

        # when
        result = demo.demo_catalog_seed()

        # then
        assert result.created is False
        assert (result.categories, result.products) == (1, 0)
        assert list(Category.objects.values_list("name", flat=True)) == ["Kites"]
        assert not Product.objects.exists()


def test_a_seed_that_fails_part_way_leaves_no_catalog_and_no_files(store_a, media_root):
    # given: the merchant's own "kit" product type, with an option the demo's kit lacks, so
    # the demo fails at its first kit product (the 20th), after storing 19 products' images
    with schema_context(store_a.schema):
        finish = services.option_type_create(name="Finish", values=["Matt"], slug="finish")
        services.product_type_create(name="Kit", slug="kit", option_types=[finish])

        # when
        with pytest.raises(ApplicationError) as failure:
            demo.demo_catalog_seed(images_per_product=1)

        # then: nothing of the demo is left, the merchant's type is untouched
        assert failure.value.code == "variant_options_invalid"
        assert not Category.objects.exists()
        assert not Product.objects.exists()
        assert list(ProductType.objects.values_list("slug", flat=True)) == ["kit"]
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_a_bigger_catalog_adds_published_editions_of_the_demo_products(store_a):
    # when
    with schema_context(store_a.schema):
        result = demo.demo_catalog_seed(products=PRODUCTS + 3, images_per_product=1)

        # then
        assert (result.created, result.products, result.images) == (True, PRODUCTS + 3, 38)
        editions = Product.objects.filter(name__contains=" edition").order_by("id")
        assert list(editions.values_list("name", flat=True)) == [
            "Ridgeline Waterproof Shell, Coastal edition",
            "Harbour Waxed Jacket, Coastal edition",
            "Cairn Insulated Vest, Coastal edition",
        ]
        # one colour per edition: 5 sizes
        assert [product.variants.count() for product in editions] == [5, 5, 5]
        assert Product.objects.filter(status=Product.Status.PUBLISHED).count() == PRODUCTS + 3


def test_demo_images_are_square_jpegs_and_each_view_differs():
    # when
    main = demo_image(name="Ridgeline Waterproof Shell", background="#5b6770", view=0)
    detail = demo_image(name="Ridgeline Waterproof Shell", background="#5b6770", view=1)

    # then
    for picture in (main, detail):
        with Image.open(BytesIO(picture.read())) as image:
            assert (image.format, image.size) == ("JPEG", (800, 800))
        picture.seek(0)
    assert main.read() != detail.read()
    assert initials("Ridgeline Waterproof Shell") == "RW"
    assert initials("Insulated Steel Bottle 750 ml") == "IS"
