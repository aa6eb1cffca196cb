"""apps.checkout.selectors reads what the ORM would, in one written-out query each."""

from django_tenants.utils import schema_context

from apps.checkout.models import Checkout
from apps.checkout.selectors import cart_for_order, checkout_find
from tests.checkout.conftest import checkout_ready


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_checkout_find_loads_what_the_orm_loads(store_a, shop_a, django_assert_num_queries):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        orm = Checkout.objects.select_related("cart").get(pk=checkout.pk)
        with django_assert_num_queries(1):
            found = checkout_find(token=checkout.token)
            assert found.cart.voucher_code == orm.cart.voucher_code  # no second query
        assert _fields(found) == _fields(orm)
        assert _fields(found.cart) == _fields(orm.cart)
        assert found.shipping_address["city"] == "London"  # JSON decoded
        assert checkout_find(token="no-such-token") is None


def test_another_stores_checkout_is_not_found(store_a, store_b, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
    with schema_context(store_b.schema):
        assert checkout_find(token=checkout.token) is None
        assert cart_for_order(cart_id=checkout.cart_id) is None
