"""Settings for bench/routing.py: the real app settings with only the routing middleware.

BENCH_ROUTING=ours  -> tenants.middleware.StoreRoutingMiddleware (production's choice)
BENCH_ROUTING=stock -> django_tenants' TenantMainMiddleware with its default
                       TENANT_LIMIT_SET_CALLS=False (a `SET search_path` before every cursor)
BENCH_ROUTING=django -> no routing middleware: Django's own cost, for reference
BENCH_STACK=routing|full picks the middleware list around it (see below).
Everything else (database engine, persistent connections with health checks, cache, routing
check interval) is what production runs; only the hello view's URL is added.
"""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, MIDDLEWARE

ROUTING = os.environ.get("BENCH_ROUTING", "ours")
MIDDLEWARES = {
    "ours": "tenants.middleware.StoreRoutingMiddleware",
    "stock": "django_tenants.middleware.main.TenantMainMiddleware",
    # Django's own floor: no store routing at all (the view then names the public schema).
    "django": None,
}
if ROUTING not in MIDDLEWARES:
    raise ValueError(f"BENCH_ROUTING must be one of {sorted(MIDDLEWARES)}, not {ROUTING!r}")

SECRET_KEY = "bench-only-key-0123456789abcdef0123456789abcdef0123456789"
DEBUG = False
# BENCH_STACK=routing (default): only the middleware under test, so the bench measures
# routing, not sessions or CSRF. BENCH_STACK=full: production's list with the router swapped.
_router = [MIDDLEWARES[ROUTING]] if MIDDLEWARES[ROUTING] else []
if os.environ.get("BENCH_STACK", "routing") == "full":
    MIDDLEWARE = [*_router, *MIDDLEWARE[1:]]
else:
    MIDDLEWARE = _router
    # The admin wants sessions/auth/messages middleware; the hello view needs none of them.
    SILENCED_SYSTEM_CHECKS = ["admin.E408", "admin.E409", "admin.E410"]
TENANT_LIMIT_SET_CALLS = ROUTING == "ours"
ROOT_URLCONF = "bench.urls_routing"
PUBLIC_SCHEMA_URLCONF = "bench.urls_routing"
# Persistent connections, as in a long-lived worker between recycles.
DATABASES["default"]["CONN_MAX_AGE"] = None
STORE_POOL_SIZE = 0
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
