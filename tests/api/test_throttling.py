"""Budgets are per store, and within a store per user (or per IP when anonymous)."""

from django.core.cache import cache
from django_tenants.utils import schema_context

from tests.api.helpers import ME_URL, STORE_URL, TOKEN_URL, throttle_rates_set, token_pair
from tests.cache import cache_reset


def test_exhausting_store_a_does_not_throttle_store_b(api_a, api_b, settings):
    # given: the same client IP has used up its budget on store A
    throttle_rates_set(settings, client="3/min")
    assert [api_a.get(STORE_URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    # when
    response = api_b.get(STORE_URL)
    # then
    assert response.status_code == 200


def test_a_store_wide_budget_is_the_stores_own(api_a, api_b, store_a, store_b, settings):
    # given: store A's whole budget is spent, by different users
    throttle_rates_set(settings, store="2/min")
    tokens = [
        token_pair(api_a, email=email, password=store_a.password)["access"]
        for email in (store_a.owner_email, store_a.customer_email)
    ]
    cache_reset()  # the token requests above spent budget too
    for access in tokens:
        api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        assert api_a.get(ME_URL).status_code == 200
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[0]}")
    assert api_a.get(ME_URL).status_code == 429
    # when / then: store B has its own budget
    assert api_b.get(STORE_URL).status_code == 200


def test_one_users_budget_does_not_affect_another(api_a, store_a, settings):
    # given: user X has used up their budget
    x = token_pair(api_a, email=store_a.owner_email, password=store_a.password)["access"]
    y = token_pair(api_a, email=store_a.customer_email, password=store_a.password)["access"]
    throttle_rates_set(settings, client="2/min")
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {x}")
    assert [api_a.get(ME_URL).status_code for _ in range(3)] == [200, 200, 429]
    # when: user Y, from the same IP
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {y}")
    response = api_a.get(ME_URL)
    # then
    assert response.status_code == 200


def test_auth_endpoints_have_their_own_tighter_budget(api_a, store_a, settings):
    # given
    throttle_rates_set(settings, auth="2/min")
    credentials = {"email": store_a.customer_email, "password": "wrong"}
    # when
    statuses = [api_a.post(TOKEN_URL, credentials, format="json").status_code for _ in range(3)]
    # then: password guessing stops; the rest of the API still answers this IP
    assert statuses == [401, 401, 429]
    assert api_a.get(STORE_URL).status_code == 200


def test_throttle_history_is_kept_per_store_in_the_cache(api_a, api_b, store_a, store_b, settings):
    throttle_rates_set(settings)
    key = "throttle_client_ip-127.0.0.1"
    # when
    api_a.get(STORE_URL)
    # then
    with schema_context(store_a.schema):
        assert len(cache.get(key)) == 1
    with schema_context(store_b.schema):
        assert cache.get(key) is None
