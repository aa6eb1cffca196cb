"""The storefront checkout and the order page: thin views over apps.checkout.services (the
checkout's state, its price and placing the order), apps.payments.services and the account's
address book. Plain forms, post/redirect/get: everything works without JavaScript.

Three steps, each its own page with the order summary beside it:
1. /checkout/           contact email, shipping address, billing address (same by default);
                        a signed-in customer can ship to a saved address in one click or save
                        the typed one;
2. /checkout/shipping/  the methods the address can have, priced;
3. /checkout/review/    everything again with its price, the payment method (card details for
                        a card provider) and "Place order".

"Place order" carries a signed token made when the review page rendered: a random nonce that is
the order's idempotency key (a double click, a resubmit or the back button gives back the
same order) and the total the shopper saw (a price that moved since brings them back to the review
with the new total). After the order: /orders/<token>/, found by the order's unguessable token
only, is the confirmation and the status page, where an unpaid card order can be paid again.

None of these pages is cached: apps.catalog.pagecache stores only the catalog's paths, and every
answer here says never_cache.

Modules: steps (1 and 2), review (3 and placing the order), orders (the order page), _common
(finding the visitor's checkout, the page context around a step, the error summary).
"""

from apps.checkout.views.orders import order_detail, order_pay
from apps.checkout.views.review import review
from apps.checkout.views.steps import details, saved_address_use, shipping

__all__ = ["details", "order_detail", "order_pay", "review", "saved_address_use", "shipping"]
