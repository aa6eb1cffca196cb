"""Guests' carts untouched for 30 days are deleted with their lines and checkouts; customers'
carts, recent carts and closed carts stay; one store's cleanup never touches another's."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.cart import services
from apps.cart.models import Cart, CartLine
from apps.checkout.models import Checkout
from tests.checkout.conftest import checkout_ready


def _age(cart: Cart, days: int) -> None:
    Cart.objects.filter(pk=cart.pk).update(updated=timezone.now() - timedelta(days=days))


def test_old_guest_carts_go_and_everything_else_stays(store_a, shop_a):
    with schema_context(store_a.schema):
        # given
        old_guest = checkout_ready(shop_a, payment="manual").cart  # with lines and a checkout
        recent_guest = services.cart_create()
        customer = get_user_model().objects.create_user(
            email="grace@example.com", password="pw-Grace-123"
        )
        old_customer = services.cart_create(customer=customer)
        old_closed = services.cart_create()
        for cart in (old_guest, old_customer, old_closed):
            _age(cart, 31)
        _age(recent_guest, 29)
        Cart.objects.filter(pk=old_closed.pk).update(closed_at=timezone.now())
        # when
        assert services.carts_abandoned_delete(batch=1) == 1
        # then
        assert set(Cart.objects.values_list("pk", flat=True)) == {
            recent_guest.pk,
            old_customer.pk,
            old_closed.pk,
        }
        assert not CartLine.objects.filter(cart_id=old_guest.pk).exists()
        assert not Checkout.objects.filter(cart_id=old_guest.pk).exists()
        assert services.carts_abandoned_delete() == 0  # safe to run twice


def test_a_stores_cleanup_leaves_other_stores_carts_alone(store_a, store_b):
    with schema_context(store_a.schema):
        cart_a = services.cart_create()
        _age(cart_a, 40)
    with schema_context(store_b.schema):
        assert services.carts_abandoned_delete() == 0
    with schema_context(store_a.schema):
        assert Cart.objects.filter(pk=cart_a.pk).exists()
        assert services.carts_abandoned_delete() == 1
