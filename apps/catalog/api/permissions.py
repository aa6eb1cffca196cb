"""Who may do what in the catalog API: everyone reads; writes need a staff account with the
Django model permission the action names (the store's owner is a superuser: every permission).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

# HTTP method -> the model permission a write needs, e.g. POST -> catalog.add_product.
_METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class CatalogPermission(BasePermission):
    """Reads for everyone (views hide unpublished things from non-staff). Writes: staff with
    `view.required_perms` when the action sets it, else `catalog.<add|change|delete>_<model>`
    for the view's `perm_model`."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        perms = getattr(view, "required_perms", None) or [
            f"catalog.{_METHOD_ACTIONS[request.method]}_{view.perm_model}"
        ]
        return user.has_perms(perms)


def is_staff(request) -> bool:
    """Staff see drafts and archived products, unpublished collections and costs."""
    user = request.user
    return bool(user and user.is_authenticated and user.is_staff)
