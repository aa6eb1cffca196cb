"""Production: refuses to start without the settings that must not have defaults.

Required: SECRET_KEY, BASE_DOMAIN (ALLOWED_HOSTS is derived from it unless set), DATABASE_URL
and REDIS_URL (the shared cache carries the routing version every worker checks, the
throttles and the Celery broker; a per-process cache would leave workers routing stale hosts).
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import SIMPLE_JWT, env


def _required(name: str, why: str) -> str:
    value = env(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production: {why}")
    return value


SECRET_KEY = _required("SECRET_KEY", "a long random string (50+ characters).")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use 50+ random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
SIMPLE_JWT["SIGNING_KEY"] = env("JWT_SIGNING_KEY", default="") or SECRET_KEY
BASE_DOMAIN = _required(
    "BASE_DOMAIN", "the public host, e.g. shops.example.com (stores answer on <slug>.<it>)."
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])
_required("DATABASE_URL", "e.g. postgres://user:password@host:5432/pycommerce.")
REDIS_URL = _required(
    "REDIS_URL", "e.g. redis://host:6379/0 (shared cache, routing invalidation, Celery broker)."
)

DEBUG = False
PUBLIC_SCHEME = env("PUBLIC_SCHEME", default="https")
# TLS ends at the load balancer, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes come over plain HTTP from inside the platform.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "apps.core.storage.StoreFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"PyCommerce <no-reply@{BASE_DOMAIN}>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
