from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "apps.cart"
    label = "cart"
    verbose_name = "Cart"

    def ready(self) -> None:
        # Login merges the anonymous cart into the customer's (apps.cart.signals).
        from apps.cart import signals  # noqa: F401
