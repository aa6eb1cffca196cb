"""Files stored by a write that never commits do not stay behind: the services remove what they
stored when their own transaction fails; the media sweep removes what a caller's rollback left,
once old enough, in the current store only."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context
from PIL import Image

from apps.catalog import services
from apps.catalog.images import THUMBNAIL_SIZES
from apps.catalog.media_sweep import media_orphans_delete
from apps.catalog.models import Category, ProductImage
from apps.catalog.tasks import media_orphans_sweep
from apps.core.exceptions import ApplicationError
from apps.core.storage import atomic_with_files
from tests.catalog import factories

TWO_HOURS = 2 * 3600


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


def table_refuses(table: str, operation: str = "INSERT") -> None:
    """The database refuses every new (or changed) row of `table` in the current schema, as a
    constraint or a concurrent writer would, after the service has stored its files. (DDL in
    PostgreSQL is transactional: the test's rollback removes the trigger.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
        )


def age(name: str, seconds: int) -> None:
    """Make a stored file look last written `seconds` ago (its mtime, what the sweep reads)."""
    path = default_storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def orphan_store(name: str, *, seconds_old: int = TWO_HOURS) -> str:
    stored = default_storage.save(default_storage.generate_filename(name), ContentFile(b"x"))
    age(stored, seconds_old)
    return stored


def truncated_jpeg(name: str = "cut.jpg") -> SimpleUploadedFile:
    # verify() only checks a JPEG's structure: the missing half shows when it is decoded
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 50).convert("RGB").save(buffer, format="JPEG")
    data = buffer.getvalue()
    return SimpleUploadedFile(name, data[: len(data) // 2], content_type="image/jpeg")


# --- (a) a service's own failure removes what it stored ----------------------------------


def test_category_image_is_removed_when_the_category_row_is_refused(in_store_a, media):
    # given: the database will refuse the category row, after the image is stored
    table_refuses("catalog_category")
    # when
    with pytest.raises(DatabaseError, match="refused by the test"):
        services.category_create(name="Sale", image=factories.image_upload("sale.png"))
    # then
    assert not Category.objects.exists()
    assert stored_files(media) == set()


def test_new_category_image_is_removed_and_old_one_kept_when_the_update_fails(
    in_store_a, media, django_capture_on_commit_callbacks
):
    # given: a category with an image; the database will refuse the changed row
    sale = services.category_create(name="Sale", image=factories.image_upload("old.png"))
    table_refuses("catalog_category", "UPDATE")
    # when: the new image is stored, then the update fails
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DatabaseError, match="refused by the test"),
    ):
        services.category_update(category=sale, image=factories.image_upload("new.png"))
    # then: the new file is gone, the old one (still the category's) stays
    assert Category.objects.get(pk=sale.pk).image.name == sale.image.name
    assert stored_files(media) == {sale.image.name}


def test_product_image_original_and_thumbnails_are_removed_when_the_row_is_refused(
    in_store_a, media
):
    # given
    product = factories.product("Mug")
    table_refuses("catalog_productimage")
    # when: the original and every thumbnail get stored, then the insert fails
    with pytest.raises(DatabaseError, match="refused by the test"):
        services.product_image_add(
            product=product, image_file=factories.image_upload("mug.png"), alt_text="A mug"
        )
    # then
    assert not ProductImage.objects.exists()
    assert stored_files(media) == set()


def test_a_truncated_jpeg_is_image_invalid_and_its_original_is_removed(in_store_a, media):
    # given: passes validation (the original gets stored), fails when thumbnails decode it
    product = factories.product("Mug")
    # when
    with pytest.raises(ApplicationError) as caught:
        services.product_image_add(product=product, image_file=truncated_jpeg(), alt_text="x")
    # then
    assert (caught.value.code, caught.value.field) == ("image_invalid", "image_file")
    assert not ProductImage.objects.exists()
    assert stored_files(media) == set()


def test_files_of_a_nested_block_go_when_the_enclosing_block_fails(in_store_a, media):
    # given: a category and a product image saved inside a larger write that then fails
    def larger_write() -> None:
        with atomic_with_files():
            services.category_create(name="Sale", image=factories.image_upload())
            factories.product_image(factories.product("Mug"))
            assert len(stored_files(media)) == 2 + len(THUMBNAIL_SIZES)
            raise RuntimeError("a later step fails")

    # when
    with pytest.raises(RuntimeError, match="a later step fails"):
        larger_write()
    # then
    assert not Category.objects.exists()
    assert stored_files(media) == set()


def test_files_of_a_successful_write_stay(in_store_a, media):
    with atomic_with_files():
        category = services.category_create(name="Sale", image=factories.image_upload())
    assert stored_files(media) == {category.image.name}


# --- (b) the sweep: what a caller's rollback left -----------------------------------------


def test_a_callers_rollback_leaves_a_file_the_sweep_removes_once_old(in_store_a, media):
    # given: the service succeeds inside the caller's transaction, which then rolls back
    created: list[Category] = []

    def callers_write() -> None:
        with transaction.atomic():
            created.append(services.category_create(name="Sale", image=factories.image_upload()))
            raise RuntimeError("the caller's later step fails")

    with pytest.raises(RuntimeError, match="later step"):
        callers_write()
    left = created[0].image.name
    assert not Category.objects.exists()
    assert stored_files(media) == {left}
    # when: still within the grace period
    assert media_orphans_delete().deleted == []
    assert stored_files(media) == {left}
    # when: older than the grace period
    age(left, TWO_HOURS)
    result = media_orphans_delete()
    # then
    assert result.deleted == [left]
    assert stored_files(media) == set()


def test_the_sweep_keeps_referenced_and_recent_files_and_unknown_directories(in_store_a, media):
    # given: referenced files (a category image, a product image and its thumbnails)...
    category = services.category_create(name="Sale", image=factories.image_upload("sale.png"))
    image = factories.product_image(factories.product("Mug"), name="mug.png")
    referenced = {category.image.name, image.image.name, *image.thumbnails.values()}
    # ...old orphans in each directory the sweep knows, in a subdirectory too...
    old_orphans = {
        orphan_store("catalog/categories/gone.png"),
        orphan_store("catalog/products/gone.png"),
        orphan_store("catalog/thumbs/gone-card.webp"),
        orphan_store("catalog/products/2024/gone.png"),
        orphan_store("themes/logos/gone.png"),
    }
    # ...a recent orphan (an upload in flight) and a file in a directory nobody declared
    recent = orphan_store("catalog/products/in-flight.png", seconds_old=60)
    unknown = orphan_store("exports/catalog.csv")
    for name in referenced:
        age(name, TWO_HOURS)
    # when
    result = media_orphans_delete(older_than=timedelta(hours=1))
    # then
    assert sorted(result.deleted) == sorted(old_orphans)
    assert (result.kept_referenced, result.kept_recent) == (len(referenced), 1)
    assert stored_files(media) == referenced | {recent, unknown}


def test_the_sweep_only_ever_looks_at_the_current_store(store_a, store_b, media):
    # given: an old orphan and an old referenced file in each store
    with schema_context(store_a.schema):
        a_orphan = orphan_store("catalog/categories/a-gone.png")
        a_kept = services.category_create(name="A", image=factories.image_upload()).image.name
        age(a_kept, TWO_HOURS)
    with schema_context(store_b.schema):
        b_orphan = orphan_store("catalog/categories/b-gone.png")
        b_kept = services.category_create(name="B", image=factories.image_upload()).image.name
        age(b_kept, TWO_HOURS)
    # when: store B's sweep runs
    with schema_context(store_b.schema):
        result = media_orphans_delete()
    # then: only B's orphan went; A's files are all there (its category is not in B's rows)
    assert result.deleted == [b_orphan]
    assert stored_files(media) == {a_orphan, a_kept, b_kept}
    # and A's own sweep does remove A's orphan (it was one)
    with schema_context(store_a.schema):
        assert media_orphans_delete().deleted == [a_orphan]
    assert stored_files(media) == {a_kept, b_kept}


def test_the_sweep_refuses_the_public_schema(db):
    with pytest.raises(RuntimeError, match="store's schema"):
        media_orphans_delete()


def test_the_task_sweeps_the_schema_it_carries(store_a, store_b, media):
    with schema_context(store_a.schema):
        a_orphan = orphan_store("catalog/categories/a-gone.png")
    with schema_context(store_b.schema):
        b_orphan = orphan_store("catalog/categories/b-gone.png")
    # when
    deleted = media_orphans_sweep.apply_async(
        kwargs={"older_than_seconds": 3600}, headers={"_schema_name": store_a.schema}
    ).get()
    # then
    assert deleted == 1
    assert stored_files(media) == {b_orphan}
    assert a_orphan not in stored_files(media)
