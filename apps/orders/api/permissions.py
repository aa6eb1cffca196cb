"""Who may read orders through the API: staff with orders.view_order read every order of
the store; a signed-in customer reads their own (the view narrows the queryset); nobody
else. A guest reads one order by its unguessable token (a view of its own, open to all).
The store's owner is a superuser: every permission."""

from rest_framework.permissions import BasePermission


def sees_all_orders(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_staff
        and user.is_active
        and user.has_perm("orders.view_order")
    )


class OrderPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)
