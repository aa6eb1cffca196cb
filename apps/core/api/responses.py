"""Responses whose JSON is already text (e.g. documents rendered by PostgreSQL): joined, not
parsed and re-encoded. DRF's finalize_response still adds its headers (Allow, Vary)."""

import json

from django.http import HttpResponse

JSON_CONTENT_TYPE = "application/json"


def json_text_response(body: str, *, status: int = 200) -> HttpResponse:
    return HttpResponse(body.encode(), content_type=JSON_CONTENT_TYPE, status=status)


def json_page_response(*, next_url: str | None, bodies: list[str]) -> HttpResponse:
    """A keyset page, {"next": ..., "results": [...]}, as KeysetPagination shapes it."""
    text = f'{{"next":{json.dumps(next_url)},"results":[{",".join(bodies)}]}}'
    return json_text_response(text)
