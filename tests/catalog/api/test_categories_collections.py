"""Categories and collections through the API."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog.models import Category, Collection

CATEGORIES = "/api/v1/categories/"
COLLECTIONS = "/api/v1/collections/"


def paths(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [category["path"] for category in response.json()["results"]]


def test_categories_in_tree_order_for_everyone(api_a, catalog_a):
    # when
    response = api_a.get(CATEGORIES)
    # then
    assert paths(response) == ["clothing", "clothing/shirts", "home"]
    shirts = response.json()["results"][1]
    assert shirts == {
        "id": catalog_a["shirts"].pk,
        "parent": catalog_a["clothing"].pk,
        "name": "Shirts",
        "slug": "shirts",
        "path": "clothing/shirts",
        "depth": 1,
        "position": 0,
        "description": "",
        "image": "",
        "seo_title": "",
        "seo_description": "",
        "created": shirts["created"],
        "updated": shirts["updated"],
    }
    assert paths(api_a.get(CATEGORIES, {"parent": "root"})) == ["clothing", "home"]
    assert paths(api_a.get(CATEGORIES, {"parent": catalog_a["clothing"].pk})) == ["clothing/shirts"]
    assert paths(api_a.get(CATEGORIES, {"limit": 2})) == ["clothing", "clothing/shirts"]
    detail = api_a.get(f"{CATEGORIES}{catalog_a['home'].pk}/")
    assert detail.json()["path"] == "home"


def test_categories_updated_since(api_a, store_a, catalog_a):
    since = timezone.now() + timedelta(seconds=1)
    with schema_context(store_a.schema):
        Category.objects.update(updated=since - timedelta(minutes=1))
        Category.objects.filter(pk=catalog_a["home"].pk).update(updated=since)
    assert paths(api_a.get(CATEGORIES, {"updated_since": since.isoformat()})) == ["home"]


def test_category_writes(editor_a, customer_a, catalog_a):
    assert customer_a.post(CATEGORIES, {"name": "Toys"}, format="json").status_code == 403
    # create
    created = editor_a.post(
        CATEGORIES, {"name": "Mugs", "parent": catalog_a["home"].pk}, format="json"
    )
    assert created.status_code == 201, created.content
    assert (created.json()["path"], created.json()["depth"]) == ("home/mugs", 1)
    # move: the subtree's paths follow
    moved = editor_a.patch(
        f"{CATEGORIES}{catalog_a['clothing'].pk}/",
        {"parent": catalog_a["home"].pk},
        format="json",
    )
    assert moved.json()["path"] == "home/clothing"
    assert paths(editor_a.get(CATEGORIES)) == [
        "home",
        "home/clothing",
        "home/clothing/shirts",
        "home/mugs",
    ]
    # a cycle is refused
    cycle = editor_a.patch(
        f"{CATEGORIES}{catalog_a['home'].pk}/", {"parent": catalog_a["shirts"].pk}, format="json"
    )
    assert [(e["code"], e["attr"]) for e in cycle.json()["errors"]] == [
        ("category_cycle", "parent")
    ]
    # duplicate slug among siblings
    taken = editor_a.post(
        CATEGORIES, {"name": "Mugs", "slug": "mugs", "parent": catalog_a["home"].pk}, format="json"
    )
    assert [(e["code"], e["attr"]) for e in taken.json()["errors"]] == [("slug_taken", "slug")]
    # a category with children cannot go
    refused = editor_a.delete(f"{CATEGORIES}{catalog_a['home'].pk}/")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "category_has_children"
    assert editor_a.delete(f"{CATEGORIES}{created.json()['id']}/").status_code == 204


def test_collections_published_only_for_shoppers(api_a, staff_a, catalog_a):
    # shoppers: the published collection, with its published products in order
    response = api_a.get(COLLECTIONS)
    assert response.status_code == 200
    (summer,) = response.json()["results"]
    assert summer["name"] == "Summer Picks"
    assert summer["product_ids"] == [catalog_a["mug"].pk, catalog_a["shirt"].pk]
    assert api_a.get(f"{COLLECTIONS}{catalog_a['hidden'].pk}/").status_code == 404
    # staff: both, drafts included
    staff = staff_a.get(COLLECTIONS).json()["results"]
    assert [c["name"] for c in staff] == ["Back Room", "Summer Picks"]
    assert staff[1]["product_ids"] == [
        catalog_a["mug"].pk,
        catalog_a["shirt"].pk,
        catalog_a["draft"].pk,
    ]


def test_collection_writes(editor_a, store_a, catalog_a):
    created = editor_a.post(
        COLLECTIONS,
        {"name": "Gifts", "product_ids": [catalog_a["shirt"].pk, catalog_a["mug"].pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    gifts = created.json()
    assert (gifts["slug"], gifts["is_published"]) == ("gifts", False)
    assert gifts["product_ids"] == [catalog_a["shirt"].pk, catalog_a["mug"].pk]
    # reorder and publish
    changed = editor_a.patch(
        f"{COLLECTIONS}{gifts['id']}/",
        {"product_ids": [catalog_a["mug"].pk], "is_published": True},
        format="json",
    )
    assert changed.json()["product_ids"] == [catalog_a["mug"].pk]
    assert changed.json()["is_published"] is True
    # unknown products
    missing = editor_a.patch(
        f"{COLLECTIONS}{gifts['id']}/", {"product_ids": [999999]}, format="json"
    )
    assert [(e["code"], e["attr"]) for e in missing.json()["errors"]] == [
        ("product_not_found", "product_ids")
    ]
    assert editor_a.delete(f"{COLLECTIONS}{gifts['id']}/").status_code == 204
    with schema_context(store_a.schema):
        assert not Collection.objects.filter(pk=gifts["id"]).exists()
