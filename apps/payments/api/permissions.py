"""Who may use the payments API: staff only for payments (reads need payments.view_payment;
each action names its permission: taking money payments.change_payment, giving it back
payments.refund_payment). The store's owner is a superuser: every permission."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class PaymentPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm("payments.view_payment")
        return user.has_perms(getattr(view, "required_perms", None) or ["payments.change_payment"])
