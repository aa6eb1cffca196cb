"""Error views for store hosts: the API's JSON error shape under /api/, Django's pages elsewhere.

DRF only shapes errors raised inside its views; an unknown /api/ URL or a crash outside a view
would otherwise answer with an HTML page.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from apps.core.api.exceptions import NOT_FOUND_BODY, SERVER_ERROR_BODY

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(NOT_FOUND_BODY, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(SERVER_ERROR_BODY, status=500)
    return defaults.server_error(request)
