"""Every write to the inventory. Checkout, the admin, the API, tasks, seeds and tests call these.

Each one runs in a transaction (a savepoint inside the caller's), locks the stock rows it
changes in id order, and writes one ledger row per change (models.StockMovement).
"""

from apps.inventory.services.locations import (
    location_create,
    location_default,
    location_delete,
    location_update,
)
from apps.inventory.services.notifications import low_stock_email_send
from apps.inventory.services.policy import policy_threshold_set, policy_update
from apps.inventory.services.reservations import (
    reservations_expire,
    reservations_release,
    reservations_sell,
    stock_reserve,
)
from apps.inventory.services.stock import (
    stock_adjust,
    stock_receive,
    stock_receive_many,
    stock_return,
    stock_transfer,
)

__all__ = [
    "location_create",
    "location_default",
    "location_delete",
    "location_update",
    "low_stock_email_send",
    "policy_threshold_set",
    "policy_update",
    "reservations_expire",
    "reservations_release",
    "reservations_sell",
    "stock_adjust",
    "stock_receive",
    "stock_receive_many",
    "stock_reserve",
    "stock_return",
    "stock_transfer",
]
