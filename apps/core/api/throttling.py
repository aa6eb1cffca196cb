"""Throttles kept in the (tenant-aware) cache: one budget per store, one per user or IP."""

from django.db import connection
from rest_framework.throttling import SimpleRateThrottle


class StoreRateThrottle(SimpleRateThrottle):
    """All requests to one store share this budget, whoever makes them."""

    scope = "store"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": connection.schema_name}


class ClientRateThrottle(SimpleRateThrottle):
    """Per signed-in user, else per client IP."""

    scope = "client"

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthRateThrottle(ClientRateThrottle):
    """Tighter budget for the token endpoints (password guessing)."""

    scope = "auth"
