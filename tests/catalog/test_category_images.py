"""Category images through the services: validated like product images (the same code), stored
under the store's prefix with a safe name, replaced and removed with their files."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.catalog import services
from apps.catalog.models import Category
from apps.core.exceptions import ApplicationError
from tests.catalog import factories


@pytest.fixture
def media() -> Path:
    # tests/conftest.py points MEDIA_ROOT at a per-test directory
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def in_store_a(store_a):
    with schema_context(store_a.schema):
        yield store_a


def stored_files(media: Path) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def bmp_upload(name: str = "scan.bmp") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/bmp")


def test_create_stores_the_image_under_the_store_prefix_named_by_its_real_format(in_store_a, media):
    # given: a JPEG whose name claims something else
    upload = factories.image_upload("Summer Sale!.bin", image_format="JPEG")
    # when
    category = services.category_create(name="Sale", image=upload)
    # then
    category.refresh_from_db()
    assert category.image.name == f"{in_store_a.schema}/catalog/categories/summer-sale.jpg"
    assert stored_files(media) == {category.image.name}
    with Image.open(media / category.image.name) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))


def test_create_without_an_image_stores_nothing(in_store_a, media):
    category = services.category_create(name="Plain", image=None)
    assert category.image.name == ""
    assert stored_files(media) == set()


def test_a_file_that_is_not_an_image_is_refused_on_the_image_field(in_store_a, media):
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ApplicationError) as caught:
        services.category_create(name="Sale", image=fake)
    assert (caught.value.code, caught.value.field, caught.value.message) == (
        "image_invalid",
        "image",
        "Upload a JPEG, PNG, WebP or GIF image.",
    )
    assert not Category.objects.exists()
    assert stored_files(media) == set()


def test_an_image_in_an_unsupported_format_is_refused_naming_the_format(in_store_a, media):
    with pytest.raises(ApplicationError) as caught:
        services.category_create(name="Sale", image=bmp_upload())
    assert (caught.value.code, caught.value.field, caught.value.extra) == (
        "image_invalid",
        "image",
        {"format": "BMP"},
    )
    assert caught.value.message == (
        "BMP images are not accepted: upload a JPEG, PNG, WebP or GIF image."
    )
    assert stored_files(media) == set()


def test_an_image_over_the_limit_is_refused(in_store_a, media, settings):
    upload = factories.image_upload("big.png", size=(200, 200))
    settings.CATALOG_IMAGE_MAX_BYTES = upload.size - 1
    with pytest.raises(ApplicationError) as caught:
        services.category_create(name="Sale", image=upload)
    assert (caught.value.code, caught.value.field, caught.value.extra) == (
        "image_too_large",
        "image",
        {"size": upload.size, "limit": upload.size - 1},
    )
    assert stored_files(media) == set()


def test_replacing_the_image_deletes_the_old_file_once_committed(
    in_store_a, media, django_capture_on_commit_callbacks
):
    # given
    category = services.category_create(name="Sale", image=factories.image_upload("old.png"))
    old_name = category.image.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        category = services.category_update(
            category=category, image=factories.image_upload("new.png", image_format="WEBP")
        )
    # then
    assert category.image.name == f"{in_store_a.schema}/catalog/categories/new.webp"
    assert Category.objects.get().image.name == category.image.name
    assert stored_files(media) == {category.image.name}
    assert old_name not in stored_files(media)


@pytest.mark.parametrize("empty", [None, "", False])
def test_an_empty_image_removes_it_and_its_file_once_committed(
    in_store_a, media, django_capture_on_commit_callbacks, empty
):
    category = services.category_create(name="Sale", image=factories.image_upload())
    assert stored_files(media) == {category.image.name}
    with django_capture_on_commit_callbacks(execute=True):
        services.category_update(category=category, image=empty)
    assert Category.objects.get().image.name == ""
    assert stored_files(media) == set()


def test_a_refused_replacement_keeps_the_old_image(
    in_store_a, media, django_capture_on_commit_callbacks
):
    category = services.category_create(name="Sale", image=factories.image_upload("old.png"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        services.category_update(category=category, image=bmp_upload())
    assert Category.objects.get().image.name == category.image.name
    assert stored_files(media) == {category.image.name}


def test_handing_back_the_stored_image_changes_nothing(
    in_store_a, media, django_capture_on_commit_callbacks
):
    # a form's unchanged initial value: the FieldFile of the stored image
    category = services.category_create(name="Sale", image=factories.image_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.category_update(category=category, image=category.image, name="Big Sale")
    stored = Category.objects.get()
    assert (stored.name, stored.image.name) == ("Big Sale", category.image.name)
    assert stored_files(media) == {category.image.name}


def test_deleting_a_category_deletes_its_image_once_committed(
    in_store_a, media, django_capture_on_commit_callbacks
):
    category = services.category_create(name="Sale", image=factories.image_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.category_delete(category=category)
    assert stored_files(media) == set()


def test_two_stores_images_of_the_same_name_never_collide(store_a, store_b, media):
    with schema_context(store_a.schema):
        a = services.category_create(name="Sale", image=factories.image_upload("sale.png"))
    with schema_context(store_b.schema):
        b = services.category_create(
            name="Sale", image=factories.image_upload("sale.png", color=(0, 0, 255))
        )
    assert a.image.name == f"{store_a.schema}/catalog/categories/sale.png"
    assert b.image.name == f"{store_b.schema}/catalog/categories/sale.png"
    with Image.open(media / a.image.name) as image_a, Image.open(media / b.image.name) as image_b:
        assert image_a.getpixel((0, 0)) == (200, 40, 40)
        assert image_b.getpixel((0, 0)) == (0, 0, 255)
