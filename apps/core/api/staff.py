"""Staff-only API endpoints (shipping, tax, ...): every request, reads included, needs an active
staff account of this store with the Django model permission of its action: `view` for reads,
`add` / `change` / `delete` for writes, on the view's `perm_app`.`perm_model` (the store's
owner is a superuser: every permission). StaffViewSet is the base of such viewsets."""

from rest_framework import viewsets
from rest_framework.permissions import BasePermission

from apps.core.api.pagination import KeysetPagination

ID_PATH = r"\d+"
_METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class StaffModelPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        action = _METHOD_ACTIONS.get(request.method)
        return action is not None and user.has_perm(f"{view.perm_app}.{action}_{view.perm_model}")


class StaffViewSet(viewsets.GenericViewSet):
    """Lists by id (keyset pages); every action needs the model permission it names
    (StaffModelPermission with the subclass's `perm_app` / `perm_model`)."""

    permission_classes = [StaffModelPermission]
    pagination_class = KeysetPagination
    lookup_value_regex = ID_PATH
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    perm_app: str
    perm_model: str
