"""Throttles kept in the (tenant-aware) cache: one budget per store, one per user or IP.

The default cache's key function (django_tenants.cache.make_key) puts the schema of the store
being served into every key, so the per-user/IP budgets are per store too: exhausting one
store's budget never throttles another store.
"""

from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # DRF copies the rates onto the class at import; read them per request instead, so a
        # changed REST_FRAMEWORK setting (tests, a reloaded config) is honoured.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class StoreRateThrottle(_SettingsRateThrottle):
    """All requests to one store share this budget, whoever makes them."""

    scope = "store"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": connection.schema_name}


class ClientRateThrottle(_SettingsRateThrottle):
    """Per signed-in user, else per client IP."""

    scope = "client"

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthRateThrottle(ClientRateThrottle):
    """Tighter budget for the token endpoints (password guessing); always per IP, since the
    caller is not signed in yet."""

    scope = "auth"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"ip-{self.get_ident(request)}"}


AUTH_THROTTLES = [StoreRateThrottle, AuthRateThrottle]
