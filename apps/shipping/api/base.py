"""What the staff-only viewsets of shipping and tax share."""

from rest_framework import viewsets
from rest_framework.request import Request

from apps.core.api.pagination import KeysetPagination
from apps.shipping.api.permissions import StaffModelPermission

ID_PATH = r"\d+"


def validated_input(serializer_class, request: Request, *, partial: bool = False) -> dict:
    data = serializer_class(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class StaffViewSet(viewsets.GenericViewSet):
    """Lists by id (keyset pages); every action needs the model permission it names
    (StaffModelPermission with the subclass's `perm_app` / `perm_model`)."""

    permission_classes = [StaffModelPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    perm_app: str
    perm_model: str
