"""A store URLconf with a few views that fail on purpose, for the error-shape tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from apps.core.exceptions import ApplicationError
from config.urls_tenant import handler404, handler500
from config.urls_tenant import urlpatterns as store_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class ApplicationErrorView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise ApplicationError(
            "This order was already cancelled.", code="order_already_cancelled", status_code=409
        )

    def post(self, request, *args, **kwargs):
        raise ApplicationError("Not enough stock.", code="stock_insufficient", field="quantity")


class CrashingAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise RuntimeError("secret internals: password=hunter2")


def crashing_plain_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [
    path("api/test/application-error/", ApplicationErrorView.as_view()),
    path("api/test/crash/", CrashingAPIView.as_view()),
    path("api/test/crash-plain/", crashing_plain_view),
    *store_urlpatterns,
]
