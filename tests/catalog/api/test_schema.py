"""The catalog endpoints in the OpenAPI schema: generated without a warning, documented."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema


def test_catalog_schema(client_a):
    # given
    GENERATOR_STATS.reset()
    # when
    schema = client_a.get("/api/schema/", {"format": "json"}).json()
    # then
    validate_schema(schema)
    assert not GENERATOR_STATS
    paths = schema["paths"]
    assert {
        "/api/v1/categories/",
        "/api/v1/categories/{id}/",
        "/api/v1/collections/",
        "/api/v1/collections/{id}/",
        "/api/v1/products/",
        "/api/v1/products/{id}/",
        "/api/v1/products/{id}/publish/",
        "/api/v1/products/{id}/unpublish/",
        "/api/v1/products/{id}/archive/",
        "/api/v1/products/{id}/images/",
        "/api/v1/products/{id}/images/{image_id}/",
        "/api/v1/variants/",
        "/api/v1/variants/{id}/",
    } <= set(paths)
    product_list = paths["/api/v1/products/"]["get"]
    assert {p["name"] for p in product_list["parameters"]} == {
        "q", "category", "collection", "price_min", "price_max", "option", "available",
        "status", "ordering", "updated_since", "cursor", "limit",
    }  # fmt: skip
    page = product_list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page_schema = schema["components"]["schemas"][page.rsplit("/", 1)[1]]
    assert set(page_schema["properties"]) == {"next", "results"}
    upload = paths["/api/v1/products/{id}/images/"]["post"]["requestBody"]["content"]
    assert set(upload) == {"multipart/form-data"}
    assert set(paths["/api/v1/products/{id}/"]) == {"get", "patch", "delete"}
    assert "400" in paths["/api/v1/products/"]["post"]["responses"]
    assert "403" in paths["/api/v1/products/"]["post"]["responses"]
