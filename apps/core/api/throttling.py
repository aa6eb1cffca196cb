"""API rate limits: one budget per store, one per user (or client IP), checked together.

Each budget is a sliding-window counter: the count of the current fixed window plus the
previous window's count weighted by how much of it still overlaps the sliding window. All the
budgets of a request are checked and, only when every one allows it, counted, in one Lua
script: one Redis round trip per request (DRF's SimpleRateThrottle costs a GET and a SET per
budget, four round trips for our two budgets) and a refused request spends no budget (a client
over its own limit cannot drain its store's).

Keys go through the default cache's key function (django_tenants.cache.make_key), so they
carry the schema of the store being served: exhausting one store's budget never throttles
another store. Without Redis (the in-memory cache of `make run` without Redis) the same
arithmetic runs on the cache API, unlocked, which is good enough for one developer.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from apps.core.redis import cache_redis

_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# KEYS: current and previous window of budget 1, of budget 2, ...
# ARGV: limit, weight of the previous window, expiry (seconds) of budget 1, of budget 2, ...
# Returns {0} when allowed (and counted), else {i, current, previous} of the first budget (1-based
# index i) that refused.
_CHECK_AND_COUNT = """
local budgets = #KEYS / 2
for i = 1, budgets do
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if previous * tonumber(ARGV[3 * i - 1]) + current + 1 > tonumber(ARGV[3 * i - 2]) then
    return {i, current, previous}
  end
end
for i = 1, budgets do
  redis.call('INCR', KEYS[2 * i - 1])
  redis.call('EXPIRE', KEYS[2 * i - 1], ARGV[3 * i])
end
return {0}
"""


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, rate: str) -> "Rate":
        """ "100/min", "5/s", "1000/hour", "10000/day" (DRF's notation)."""
        count, period = rate.split("/")
        return cls(limit=int(count), window=_DURATIONS[period.strip()[0]])


def _rate(scope: str) -> Rate | None:
    # Read per request (not copied at import as DRF does), so changed settings are honoured.
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    return Rate.parse(rate) if rate else None


def window_key(scope: str, ident: str, window_index: int) -> str:
    """The cache key (before the cache's own key function) of one window of one budget."""
    return f"throttle:{scope}:{ident}:{window_index}"


def budget_used(scope: str, ident: str) -> int:
    """Requests counted in the current window of a budget, in the store being served."""
    rate = _rate(scope)
    if rate is None:
        return 0
    index = int(time.time() // rate.window)
    return int(cache.get(window_key(scope, ident, index)) or 0)


def _seconds_until_allowed(rate: Rate, elapsed: float, current: int, previous: int) -> float:
    """When one more request fits: later in this window, as the previous window's weight
    fades, or else in the next one, as this window's does."""
    room = rate.limit - current - 1
    if previous and room >= 0:
        moment = rate.window * (1 - room / previous)
        if moment < rate.window:
            return max(moment - elapsed, 0.0)
    # In the next window this one weighs current * (1 - x / window); one more must fit.
    fade = rate.window * max(0.0, 1 - (rate.limit - 1) / current) if current else 0.0
    return rate.window - elapsed + fade


def _redis_script():
    client = cache_redis()
    if client is None:
        return None
    script = getattr(client, "_pyc_throttle_script", None)
    if script is None:
        script = client.register_script(_CHECK_AND_COUNT)
        client._pyc_throttle_script = script
    return script


class BudgetThrottle(BaseThrottle):
    """Checks every scope in `scopes` at once; subclasses name the scopes and identify the
    caller per scope in `ident`."""

    scopes: tuple[str, ...] = ()

    def ident(self, scope: str, request) -> str:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        now = time.time()
        budgets = [(scope, rate) for scope in self.scopes if (rate := _rate(scope))]
        if not budgets:
            return True
        keys: list[str] = []
        args: list[float | int] = []
        for scope, rate in budgets:
            index, elapsed = divmod(now, rate.window)
            ident = self.ident(scope, request)
            keys += [
                window_key(scope, ident, int(index)),
                window_key(scope, ident, int(index) - 1),
            ]
            args += [rate.limit, 1 - elapsed / rate.window, 2 * rate.window]
        script = _redis_script()
        if script is not None:
            refused = script(keys=[cache.make_key(key) for key in keys], args=args)
        else:
            refused = self._check_without_redis(keys, args)
        if refused[0]:
            index, current, previous = (int(value) for value in refused)
            rate = budgets[index - 1][1]
            self._wait = _seconds_until_allowed(rate, now % rate.window, current, previous)
            return False
        return True

    @staticmethod
    def _check_without_redis(keys: list[str], args: list) -> list[int]:
        # The same rule as _CHECK_AND_COUNT, on the (non-Redis) cache's own API.
        for i in range(len(keys) // 2):
            current = cache.get(keys[2 * i]) or 0
            previous = cache.get(keys[2 * i + 1]) or 0
            if previous * args[3 * i + 1] + current + 1 > args[3 * i]:
                return [i + 1, current, previous]
        for i in range(len(keys) // 2):
            cache.set(keys[2 * i], (cache.get(keys[2 * i]) or 0) + 1, args[3 * i + 2])
        return [0]

    def wait(self) -> float | None:
        wait = getattr(self, "_wait", None)
        return None if wait is None else math.ceil(wait)


class ApiThrottle(BudgetThrottle):
    """Every API request: the store's whole budget ("store": all requests to one store,
    whoever makes them) and the caller's ("client": per signed-in user, else per IP)."""

    scopes = ("store", "client")

    def ident(self, scope: str, request) -> str:
        if scope == "store":
            return connection.schema_name  # the key function adds it too; explicit is clearer
        user = request.user
        if user and user.is_authenticated:
            return f"user-{user.pk}"
        return f"ip-{self.get_ident(request)}"


class AuthThrottle(BudgetThrottle):
    """The token endpoints: the store's budget and a tighter one per IP ("auth", against
    password guessing; the caller is not signed in yet)."""

    scopes = ("store", "auth")

    def ident(self, scope: str, request) -> str:
        return connection.schema_name if scope == "store" else f"ip-{self.get_ident(request)}"


AUTH_THROTTLES = [AuthThrottle]
