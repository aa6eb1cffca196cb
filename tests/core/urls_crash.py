from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls_tenant import handler404, handler500
from config.urls_tenant import urlpatterns as store_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [path("crash/", crash), *store_urlpatterns]
