"""The hello view served by bench/routing.py, on the public host and on every store host."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    # connection.schema_name: the schema the router chose (public without a router).
    return HttpResponse(f"hello from {connection.schema_name}\n", content_type="text/plain")


urlpatterns = [path("hello/", hello)]
