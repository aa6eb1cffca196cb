"""Category images through the API: multipart upload on create and update, removal, the URL in
the category object, refusals in the one error shape on `image`, and who may."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from apps.catalog.models import Category
from tests.catalog import factories
from tests.catalog.api.conftest import catalog_perms_grant, signed_in
from tests.catalog.api.test_cross_store import WRONG_STORE

CATEGORIES = "/api/v1/categories/"


@pytest.fixture
def media() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def image_error(code: str, detail: str) -> dict:
    return {
        "type": "validation_error",
        "errors": [{"code": code, "detail": detail, "attr": "image"}],
    }


def category_a(store_a, **fields) -> Category:
    with schema_context(store_a.schema):
        return factories.category(**fields)


def image_name(store, pk: int) -> str:
    with schema_context(store.schema):
        return Category.objects.get(pk=pk).image.name


def test_create_with_an_image_answers_with_its_url(editor_a, store_a, media):
    # when
    response = editor_a.post(
        CATEGORIES,
        {"name": "Summer Sale", "image": factories.image_upload("Banner.PNG")},
        format="multipart",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    stored = f"{store_a.schema}/catalog/categories/banner.png"
    assert body["image"] == f"/media/{stored}"
    assert (body["name"], body["path"]) == ("Summer Sale", "summer-sale")
    assert image_name(store_a, body["id"]) == stored
    assert stored_files(media) == {stored}
    # and reading it back gives the same URL
    assert editor_a.get(f"{CATEGORIES}{body['id']}/").json()["image"] == f"/media/{stored}"


def test_replace_the_image_with_a_multipart_patch(
    editor_a, store_a, media, django_capture_on_commit_callbacks
):
    created = editor_a.post(
        CATEGORIES, {"name": "Sale", "image": factories.image_upload("old.png")}, format="multipart"
    ).json()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_a.patch(
            f"{CATEGORIES}{created['id']}/",
            {"image": factories.image_upload("new.jpg", image_format="JPEG")},
            format="multipart",
        )
    # then: the new image, and only its file
    assert response.status_code == 200, response.content
    stored = f"{store_a.schema}/catalog/categories/new.jpg"
    assert response.json()["image"] == f"/media/{stored}"
    assert response.json()["name"] == "Sale"
    assert stored_files(media) == {stored}


def test_a_multipart_patch_without_an_image_keeps_it(editor_a, store_a, media):
    created = editor_a.post(
        CATEGORIES, {"name": "Sale", "image": factories.image_upload()}, format="multipart"
    ).json()
    response = editor_a.patch(
        f"{CATEGORIES}{created['id']}/", {"name": "Big Sale"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["image"]) == ("Big Sale", created["image"])
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("data", "data_format"), [({"image": None}, "json"), ({"image": ""}, "multipart")]
)
def test_remove_the_image(
    editor_a, store_a, media, django_capture_on_commit_callbacks, data, data_format
):
    created = editor_a.post(
        CATEGORIES, {"name": "Sale", "image": factories.image_upload()}, format="multipart"
    ).json()
    assert created["image"] != ""
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_a.patch(f"{CATEGORIES}{created['id']}/", data, format=data_format)
    # then
    assert response.status_code == 200, response.content
    assert response.json()["image"] == ""
    assert image_name(store_a, created["id"]) == ""
    assert stored_files(media) == set()


def test_not_an_image_is_refused_on_image(editor_a, store_a, media):
    fake = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", content_type="image/png")
    response = editor_a.post(CATEGORIES, {"name": "Sale", "image": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json() == image_error("image_invalid", "Upload a JPEG, PNG, WebP or GIF image.")
    with schema_context(store_a.schema):
        assert not Category.objects.exists()
    assert stored_files(media) == set()


def test_an_empty_file_is_refused_on_image(editor_a, store_a, media):
    empty = SimpleUploadedFile("photo.png", b"", content_type="image/png")
    response = editor_a.post(CATEGORIES, {"name": "Sale", "image": empty}, format="multipart")
    assert response.status_code == 400
    assert response.json() == image_error("image_invalid", "Upload a JPEG, PNG, WebP or GIF image.")


def test_an_unsupported_format_is_refused_on_image(editor_a, store_a, media):
    category = category_a(store_a, name="Sale")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="TIFF")
    tiff = SimpleUploadedFile("scan.tif", buffer.getvalue(), content_type="image/tiff")
    response = editor_a.patch(f"{CATEGORIES}{category.pk}/", {"image": tiff}, format="multipart")
    assert response.status_code == 400
    assert response.json() == image_error(
        "image_invalid", "TIFF images are not accepted: upload a JPEG, PNG, WebP or GIF image."
    )
    assert stored_files(media) == set()


def test_a_too_large_image_is_refused_on_image(editor_a, store_a, media, settings):
    upload = factories.image_upload(size=(300, 300))
    settings.CATALOG_IMAGE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", upload.read() + b"\0" * (1024 * 1024))
    response = editor_a.post(CATEGORIES, {"name": "Sale", "image": big}, format="multipart")
    assert response.status_code == 400
    assert response.json() == image_error(
        "image_too_large",
        f"The image is too large ({big.size / 1_048_576:.1f} MB); the limit is 1 MB.",
    )
    assert stored_files(media) == set()


def test_a_string_is_not_a_file(editor_a, store_a):
    response = editor_a.post(CATEGORIES, {"name": "Sale", "image": "x.png"}, format="json")
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [("invalid", "image")]


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("client", ["customer_a", "staff_a"])
def test_shoppers_and_staff_without_permission_cannot_set_an_image(client, request, store_a, media):
    # given: a customer, and a staff member with only the view permissions
    api = request.getfixturevalue(client)
    category = category_a(store_a, name="Sale")
    # when
    created = api.post(
        CATEGORIES, {"name": "Mine", "image": factories.image_upload()}, format="multipart"
    )
    changed = api.patch(
        f"{CATEGORIES}{category.pk}/", {"image": factories.image_upload()}, format="multipart"
    )
    removed = api.patch(f"{CATEGORIES}{category.pk}/", {"image": None}, format="json")
    # then
    assert [created.status_code, changed.status_code, removed.status_code] == [403, 403, 403]
    with schema_context(store_a.schema):
        assert list(Category.objects.values_list("name", "image")) == [("Sale", "")]
    assert stored_files(media) == set()


def test_another_stores_token_cannot_set_an_image(api_a, store_a, store_b, media):
    # given: store B's editor, with every catalog permission in B
    catalog_perms_grant(store_b, store_b.staff_email)
    b_token = signed_in(store_b, store_b.staff_email)._credentials["HTTP_AUTHORIZATION"]
    category = category_a(store_a, name="Sale", image=factories.image_upload())
    api_a.credentials(HTTP_AUTHORIZATION=b_token)
    # when: used on store A's host
    changed = api_a.patch(
        f"{CATEGORIES}{category.pk}/", {"image": factories.image_upload()}, format="multipart"
    )
    removed = api_a.patch(f"{CATEGORIES}{category.pk}/", {"image": None}, format="json")
    # then
    assert (changed.status_code, changed.json()) == (401, WRONG_STORE)
    assert (removed.status_code, removed.json()) == (401, WRONG_STORE)
    assert image_name(store_a, category.pk) == category.image.name
    assert stored_files(media) == {category.image.name}


def test_another_stores_category_id_is_not_found_on_its_own_host(store_a, store_b, media):
    # given: store A's category; store B's editor on store B's host, where that id is nobody
    category = category_a(store_a, name="Sale", image=factories.image_upload())
    catalog_perms_grant(store_b, store_b.staff_email)
    editor_b = signed_in(store_b, store_b.staff_email)
    # when
    response = editor_b.patch(
        f"{CATEGORIES}{category.pk}/", {"image": factories.image_upload()}, format="multipart"
    )
    # then
    assert response.status_code == 404
    assert image_name(store_a, category.pk) == category.image.name
    assert stored_files(media) == {category.image.name}
