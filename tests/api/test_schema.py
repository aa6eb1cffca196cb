"""The OpenAPI schema and the interactive docs, served on a store host without any CDN."""

import re

from django.contrib.staticfiles import finders
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema


def test_schema_is_valid_and_describes_the_auth_endpoints(client_a):
    # given
    GENERATOR_STATS.reset()
    # when
    response = client_a.get("/api/schema/", {"format": "json"})
    # then: valid OpenAPI 3, generated without a warning or an error
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert not GENERATOR_STATS
    assert {
        "/api/v1/auth/token/",
        "/api/v1/auth/token/refresh/",
        "/api/v1/auth/me/",
        "/api/v1/store/",
    } <= set(schema["paths"])

    def body(path: str, status: str) -> str:
        operation = next(iter(schema["paths"][path].values()))
        return operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]

    def request_ref(path: str) -> str:
        operation = schema["paths"][path]["post"]
        return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    components = schema["components"]["schemas"]

    def properties(ref: str) -> list[str]:
        return sorted(components[ref.rsplit("/", 1)[1]]["properties"])

    assert properties(request_ref("/api/v1/auth/token/")) == ["email", "password"]
    assert properties(body("/api/v1/auth/token/", "200")) == ["access", "refresh"]
    assert properties(request_ref("/api/v1/auth/token/refresh/")) == ["refresh"]
    assert properties(body("/api/v1/auth/token/refresh/", "200")) == ["access"]
    assert properties(body("/api/v1/auth/me/", "200")) == [
        "email",
        "first_name",
        "id",
        "is_staff",
        "last_name",
        "role",
    ]
    assert properties(body("/api/v1/store/", "200")) == ["currency", "language", "name", "slug"]
    # the error shapes are documented too
    assert body("/api/v1/auth/token/", "401").endswith("/ErrorResponse401")
    assert body("/api/v1/auth/me/", "401").endswith("/ErrorResponse401")
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


def test_docs_are_served_from_sidecar_static(client_a):
    # when
    response = client_a.get("/api/docs/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/api/schema/" in html
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", html)
    assert external == []
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
