"""Store B's credentials, hosts and ids never see or change store A's catalog."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog.models import Product
from tests.catalog import factories
from tests.catalog.api.conftest import catalog_perms_grant, signed_in

WRONG_STORE = {
    "type": "client_error",
    "errors": [
        {
            "code": "token_wrong_store",
            "detail": "This token belongs to another store.",
            "attr": None,
        }
    ],
}


@pytest.fixture
def b_owner_token(store_b) -> str:
    api = signed_in(store_b, store_b.owner_email)
    return api._credentials["HTTP_AUTHORIZATION"]


@pytest.fixture
def b_editor_token(store_b) -> str:
    catalog_perms_grant(store_b, store_b.staff_email)
    api = signed_in(store_b, store_b.staff_email)
    return api._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.parametrize("token", ["b_owner_token", "b_editor_token"])
def test_b_staff_token_cannot_write_a_catalog(token, request, api_a, store_a, catalog_a):
    # given: a token store B issued to its owner or an editor with every catalog permission
    api_a.credentials(HTTP_AUTHORIZATION=request.getfixturevalue(token))
    shirt = catalog_a["shirt"].pk
    with schema_context(store_a.schema):
        variant = catalog_a["shirt"].variants.first().pk
    attempts = [
        ("post", "/api/v1/products/", {"name": "Intruder", "price": "1.00"}),
        ("patch", f"/api/v1/products/{shirt}/", {"name": "Hacked"}),
        ("post", f"/api/v1/products/{shirt}/archive/", None),
        ("delete", f"/api/v1/products/{shirt}/", None),
        ("post", "/api/v1/categories/", {"name": "Intruders"}),
        ("post", "/api/v1/collections/", {"name": "Intruders"}),
        ("delete", f"/api/v1/variants/{variant}/", None),
    ]
    for method, url, data in attempts:
        # when
        response = getattr(api_a, method)(url, data, format="json")
        # then: A's host refuses B's token outright
        assert response.status_code == 401, (method, url)
        assert response.json() == WRONG_STORE
    # and reading with it is refused too (it is not anonymous either)
    assert api_a.get("/api/v1/products/").status_code == 401
    with schema_context(store_a.schema):
        shirt_now = Product.objects.get(pk=shirt)
        assert (shirt_now.name, shirt_now.status) == ("Linen Shirt", "published")
        assert not Product.objects.filter(name="Intruder").exists()


def test_a_ids_on_b_host_are_not_found(api_b, store_b, catalog_a):
    # given: B has a product of its own (ids in both schemas start at 1)
    with schema_context(store_b.schema):
        b_product = factories.product("B Thing", price="2.00", publish=True)
    b_editor = signed_in(store_b, store_b.owner_email)
    a_ids = {catalog_a[key].pk for key in ("shirt", "mug", "draft", "archived")} - {b_product.pk}
    for pk in a_ids:
        assert api_b.get(f"/api/v1/products/{pk}/").status_code == 404
        assert b_editor.get(f"/api/v1/products/{pk}/").status_code == 404
        assert b_editor.patch(f"/api/v1/products/{pk}/", {"name": "X"}).status_code == 404
        assert b_editor.delete(f"/api/v1/products/{pk}/").status_code == 404
    b_collections = {catalog_a["featured"].pk, catalog_a["hidden"].pk}
    for pk in b_collections:
        assert b_editor.get(f"/api/v1/collections/{pk}/").status_code == 404
    # B's lists hold only B's catalog
    names = [p["name"] for p in api_b.get("/api/v1/products/").json()["results"]]
    assert names == ["B Thing"]
    assert api_b.get("/api/v1/categories/").json()["results"] == []
    assert api_b.get("/api/v1/collections/").json()["results"] == []
    # a's category id is not a valid category on B
    response = b_editor.post(
        "/api/v1/products/",
        {"name": "Y", "category": catalog_a["home"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "category"


def test_a_drafts_never_visible_anonymously(api_a, api_b, catalog_a):
    draft, archived = catalog_a["draft"].pk, catalog_a["archived"].pk
    for api in (api_a, api_b):
        listed = api.get("/api/v1/products/", {"limit": 100}).text
        assert "Secret Prototype" not in listed
        assert "Old Lamp" not in listed
        for pk in (draft, archived):
            assert api.get(f"/api/v1/products/{pk}/").status_code == 404
    body = api_a.get("/api/v1/products/", {"limit": 100, "status": "draft"}).text
    assert "Secret Prototype" not in body
    assert "DRAFT-1" not in api_a.get("/api/v1/variants/", {"limit": 100}).text
    assert "Secret Prototype" not in api_a.get("/api/v1/products/", {"q": "secret"}).text
