"""Budgets are per store, and within a store per user (or per IP when anonymous)."""

import time

from django.core.cache import cache
from django_tenants.utils import schema_context

from apps.core.api.throttling import Rate, budget_used, window_key
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
    # when
    api_a.get(STORE_URL)
    # then
    with schema_context(store_a.schema):
        assert budget_used("client", "ip-127.0.0.1") == 1
    with schema_context(store_b.schema):
        assert budget_used("client", "ip-127.0.0.1") == 0


def test_a_refused_request_spends_no_budget(api_a, store_a, settings):
    # given: this IP is over its own budget while the store's budget is still open
    throttle_rates_set(settings, client="2/min", store="4/min")
    assert [api_a.get(STORE_URL).status_code for _ in range(5)] == [200, 200, 429, 429, 429]
    # then: the three refusals did not count against the store, whose other callers go on
    with schema_context(store_a.schema):
        assert budget_used("store", store_a.schema) == 2
        assert budget_used("client", "ip-127.0.0.1") == 2


def test_a_refusal_says_when_to_come_back(api_a, settings):
    throttle_rates_set(settings, client="1/min")
    api_a.get(STORE_URL)
    # when
    response = api_a.get(STORE_URL)
    # then
    assert response.status_code == 429
    # the one request of this window must have slid fully out: 60 to 120 s from now
    assert 60 <= int(response["Retry-After"]) <= 120
    assert response.json()["errors"][0]["code"] == "throttled"


def test_the_previous_window_still_counts_while_it_overlaps(api_a, store_a, settings):
    # given: the previous hour's window was far over the limit (only the last 0.04 s of an
    # hour would weigh it below the limit)
    throttle_rates_set(settings, client="10/hour")
    previous = int(time.time() // 3600) - 1
    with schema_context(store_a.schema):
        cache.set(window_key("client", "ip-127.0.0.1", previous), 250_000, 7200)
    # when
    response = api_a.get(STORE_URL)
    # then: refused, although the current window is empty
    assert response.status_code == 429
    assert Rate.parse("5/s").window == 1
    assert Rate.parse("100/day").window == 86400


def test_without_redis_the_same_budgets_apply(api_a, settings):
    # given: the in-memory cache `make run` uses when there is no Redis
    throttle_rates_set(settings, client="2/min")
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-test-{alias}",
            **({"KEY_FUNCTION": "django_tenants.cache.make_key"} if alias == "default" else {}),
        }
        for alias in ("default", "platform")
    }
    # when / then
    assert [api_a.get(STORE_URL).status_code for _ in range(3)] == [200, 200, 429]
