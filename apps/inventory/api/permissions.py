"""Who may use the inventory API: staff only (stock levels are the merchant's business), reads
with the model's view permission, writes with the permission the action names (the store's
owner is a superuser: every permission)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

_METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class InventoryPermission(BasePermission):
    """Staff with `inventory.view_<perm_model>` to read; to write, `view.required_perms` when
    the action sets it, else `inventory.<add|change|delete>_<perm_model>`."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            perms = [f"inventory.view_{view.perm_model}"]
        else:
            perms = getattr(view, "required_perms", None) or [
                f"inventory.{_METHOD_ACTIONS[request.method]}_{view.perm_model}"
            ]
        return user.has_perms(perms)
