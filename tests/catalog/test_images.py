"""Product images: upload validation, thumbnails made once under the store's prefix, removal."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.catalog import services
from apps.catalog.images import THUMBNAIL_SIZES, thumbnail_url
from apps.catalog.models import ProductImage
from apps.core.exceptions import ApplicationError
from tests.catalog import factories


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def in_store_a(store_a, media):
    with schema_context(store_a.schema):
        yield store_a


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_allowed_format_is_stored_with_its_thumbnails(in_store_a, media, image_format):
    # given
    product = factories.product("Mug")
    upload = factories.image_upload("My Photo.bin", size=(1600, 900), image_format=image_format)
    # when
    image = services.product_image_add(product=product, image_file=upload, alt_text="A mug")
    # then: the original keeps the real format's extension, under the store's prefix
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[image_format]
    assert image.image.name.startswith(f"{in_store_a.schema}/catalog/products/my-photo")
    assert image.image.name.endswith(f".{extension}")
    assert (image.width, image.height, image.position) == (1600, 900, 0)
    assert set(image.thumbnails) == set(THUMBNAIL_SIZES)
    for size, max_side in THUMBNAIL_SIZES.items():
        name = image.thumbnails[size]
        assert name.startswith(f"{in_store_a.schema}/catalog/thumbs/")
        with Image.open(media / name) as thumb:
            assert thumb.format == "WEBP"
            assert max(thumb.size) == max_side
            assert thumb.size[0] / thumb.size[1] == pytest.approx(16 / 9, rel=0.02)


def test_thumbnails_never_enlarge_a_small_image(in_store_a, media):
    image = factories.product_image(factories.product("Mug"), size=(200, 100))
    with Image.open(media / image.thumbnails["thumb"]) as thumb:
        assert thumb.size == (160, 80)
    with Image.open(media / image.thumbnails["large"]) as large:
        assert large.size == (200, 100)


def test_thumbnail_url_falls_back_to_the_original(in_store_a):
    image = factories.product_image(factories.product("Mug"))
    assert thumbnail_url(image, "card") == f"/media/{image.thumbnails['card']}"
    assert thumbnail_url(image, "poster") == image.image.url
    image.thumbnails = {}
    assert thumbnail_url(image, "card") == image.image.url
    assert image.image.url == f"/media/{image.image.name}"


def test_a_file_that_is_not_an_image_is_refused(in_store_a, media):
    product = factories.product("Mug")
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(product=product, image_file=fake, alt_text="x")
    assert (caught.value.code, caught.value.field) == ("image_invalid", "image_file")
    assert not ProductImage.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_truncated_image_is_refused(in_store_a):
    data = factories.image_upload("p.png", size=(300, 300)).read()
    broken = SimpleUploadedFile("p.png", data[: len(data) // 2])
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(
            product=factories.product("Mug"), image_file=broken, alt_text="x"
        )
    assert caught.value.code == "image_invalid"


def test_an_image_in_another_format_is_refused(in_store_a):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    bmp = SimpleUploadedFile("p.bmp", buffer.getvalue())
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(product=factories.product("Mug"), image_file=bmp, alt_text="x")
    assert caught.value.code == "image_invalid"


def test_an_image_over_the_limit_is_refused(in_store_a, settings):
    upload = factories.image_upload("big.png", size=(200, 200))
    settings.CATALOG_IMAGE_MAX_BYTES = upload.size - 1
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(
            product=factories.product("Mug"), image_file=upload, alt_text="x"
        )
    assert (caught.value.code, caught.value.field) == ("image_too_large", "image_file")
    assert caught.value.extra == {"size": upload.size, "limit": upload.size - 1}


def test_an_image_with_too_many_pixels_is_refused(in_store_a):
    # a 1-bit 8000 x 6000 PNG: a few kilobytes on disk, 48 megapixels decoded
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue())
    assert bomb.size < 100_000
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(product=factories.product("Mug"), image_file=bomb, alt_text="x")
    assert (caught.value.code, caught.value.extra) == (
        "image_too_large",
        {"pixels": 48_000_000, "limit_pixels": 40_000_000},
    )


def test_thumbnails_of_a_sideways_phone_photo_come_out_upright(in_store_a, media):
    # given: pixels stored 200 wide x 100 high, with EXIF orientation 6 ("rotate 90")
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (200, 100), (10, 120, 10)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue())
    # when
    image = services.product_image_add(
        product=factories.product("Mug"), image_file=upload, alt_text="x"
    )
    # then
    with Image.open(media / image.thumbnails["large"]) as large:
        assert large.size == (100, 200)
    image.refresh_from_db()
    assert (image.width, image.height) == (100, 200)


def test_the_default_limit_is_ten_megabytes():
    from config.settings import base

    assert base.CATALOG_IMAGE_MAX_BYTES == 10 * 1024 * 1024


def test_images_are_appended_in_order_and_can_be_reordered(in_store_a):
    product = factories.product("Mug")
    first = factories.product_image(product, alt_text="front")
    second = factories.product_image(product, alt_text="back")
    assert (first.position, second.position) == (0, 1)
    services.product_image_update(image=first, position=5)
    assert list(product.images.values_list("alt_text", flat=True)) == ["back", "front"]


def test_deleting_an_image_removes_its_files_after_commit(
    in_store_a, media, django_capture_on_commit_callbacks
):
    image = factories.product_image(factories.product("Mug"))
    paths = [media / image.image.name, *(media / n for n in image.thumbnails.values())]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.product_image_delete(image=image)
    assert all(p.exists() for p in paths)  # a rollback would keep them
    for callback in callbacks:
        callback()
    assert not any(p.exists() for p in paths)
    assert not ProductImage.objects.exists()


def test_the_same_file_name_in_two_stores_does_not_collide(store_a, store_b, media):
    # given: both stores upload "shirt.png", different pictures
    with schema_context(store_a.schema):
        image_a = factories.product_image(
            factories.product("Shirt"), name="shirt.png", color=(255, 0, 0)
        )
    with schema_context(store_b.schema):
        image_b = factories.product_image(
            factories.product("Shirt"), name="shirt.png", color=(0, 0, 255)
        )
    # then: separate files under each store's prefix, each with its own pixels
    assert image_a.image.name == f"{store_a.schema}/catalog/products/shirt.png"
    assert image_b.image.name == f"{store_b.schema}/catalog/products/shirt.png"
    with Image.open(media / image_a.image.name) as a, Image.open(media / image_b.image.name) as b:
        assert (a.getpixel((0, 0)), b.getpixel((0, 0))) == ((255, 0, 0), (0, 0, 255))
    assert image_a.thumbnails["card"] != image_b.thumbnails["card"]
    assert image_b.thumbnails["card"].startswith(f"{store_b.schema}/")
