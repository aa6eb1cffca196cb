"""Who may use the discounts API: staff of this store only, reads included (voucher codes are
not public), each action with the Django model permission it names (`discounts.view_voucher`,
`discounts.add_promotion`...; the store's owner is a superuser: every permission). Shoppers
apply codes through the cart, never here."""

from rest_framework.permissions import BasePermission

_METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class DiscountsStaffPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        action = _METHOD_ACTIONS.get(request.method)
        return action is not None and user.has_perm(f"discounts.{action}_{view.perm_model}")
