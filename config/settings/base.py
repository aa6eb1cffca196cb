"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)

# The public (operator) site answers on BASE_DOMAIN; every store on <slug>.<BASE_DOMAIN>.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])
# Port shown in the links we build (signup redirect, "find my store" email); empty for 80/443.
PUBLIC_PORT = env("PUBLIC_PORT", default="")
PUBLIC_SCHEME = env("PUBLIC_SCHEME", default="http")

# --- applications -------------------------------------------------------------------------
# `tenants` comes before `django_tenants` so our `migrate_schemas` (which also keeps the
# template schema and the pool current) wins over the stock command.
SHARED_APPS = [
    "tenants",
    "django_tenants",
    "apps.core",
    "apps.accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "apps.core.admin_site.StoreAdminConfig",  # django.contrib.admin, branded per host
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "apps.core.admin_site.StoreAdminConfig",  # django.contrib.admin, branded per host
    "apps.core",
    "apps.accounts",
    "apps.catalog",
    "apps.themes",
    "apps.inventory",
    "apps.shipping",
    "apps.tax",
    "apps.discounts",
    "apps.cart",
    "apps.orders",
    "apps.payments",
    "apps.checkout",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# New stores are cloned from this migrated schema, never built by replaying migrations.
TENANT_BASE_SCHEMA = "store_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# One `SET search_path` per connection and schema change, not one per cursor.
TENANT_LIMIT_SET_CALLS = True
# Ready, migrated schemas kept for instant signup (refilled by a Celery task).
STORE_POOL_SIZE = env.int("STORE_POOL_SIZE", default=3)
# How often (seconds) a worker checks whether its hostname → store map is stale.
TENANT_ROUTING_CHECK_INTERVAL = env.float("TENANT_ROUTING_CHECK_INTERVAL", default=1.0)

MIDDLEWARE = [
    "tenants.middleware.StoreRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous storefront pages from the cache, before sessions, auth and the views run.
    "apps.catalog.pagecache.StorefrontPageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Keeps the mini-cart's item-count cookie right after login/logout merges carts.
    "apps.cart.middleware.CartCookieMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/pycommerce"),
}
# django-environ yields the stock engine; django-tenants needs its own to switch schemas.
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Connections are recycled: each schema a connection touches grows its catalog cache, so a
# connection that lives forever on a big fleet grows without bound (see README, "Memory").
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env(
    "TEST_DATABASE_NAME", default="test_pycommerce"
)
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
_TENANT_KEYS = {
    # Every key carries the schema of the store being served: stores never share an entry.
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pyc",
            **_TENANT_KEYS,
        },
        # Platform-wide values (the routing version); keys deliberately carry no schema.
        "platform": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pyc-platform",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **_TENANT_KEYS},
        "platform": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "platform",
        },
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# --- accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "apps.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Lifetime of the one-time token that carries a new owner from signup to their store.
LOGIN_HANDOVER_MAX_AGE = env.int("LOGIN_HANDOVER_MAX_AGE", default=120)

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The admin's Quill editor and its plugins, installed from npm by `make` (never a CDN).
    ("vendor", BASE_DIR / ".venv" / "npm" / "node_modules"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Let Django itself serve a store's uploaded files from MEDIA_ROOT (config/urls_tenant.py), as
# DEBUG does: for the browser tests' gunicorn, which runs without DEBUG. Production serves media
# from its storage or web server and leaves this off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    # Media paths carry the store's schema (see apps.core.storage).
    "default": {"BACKEND": "apps.core.storage.StoreFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Largest product image upload accepted (bytes); larger ones get "image_too_large".
CATALOG_IMAGE_MAX_BYTES = env.int("CATALOG_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)

# --- email --------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PyCommerce <no-reply@localhost>")
PLATFORM_NAME = "PyCommerce"

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.api.authentication.StoreJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.api.throttling.ApiThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "store": env("API_THROTTLE_STORE", default="6000/min"),
        "client": env("API_THROTTLE_CLIENT", default="600/min"),
        "auth": env("API_THROTTLE_AUTH", default="20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SIMPLE_JWT = {
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PyCommerce store API",
    "DESCRIPTION": "The REST API of one PyCommerce store; call it on the store's own host.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ErrorCode401Enum",
            "ErrorCode403Enum",
            "ErrorCode404Enum",
            "ErrorCode405Enum",
            "ErrorCode406Enum",
            "ErrorCode415Enum",
            "ErrorCode429Enum",
            "ErrorCode500Enum",
        )
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}
DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker (the embedded default) tasks run in-process, right away.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Beat sends from the public schema; the refill tops the pool up if a burst of signups (or a
# deploy that discarded it) left it short, besides the refill queued by each signup.
CELERY_BEAT_SCHEDULE = {
    "store-pool-refill": {"task": "tenants.tasks.store_pool_refill", "schedule": 300.0},
    # Per-store work goes through the fleet fan-out (apps.core.fleet): one task per active store.
    # Abandoned checkouts give their reserved stock back within a minute of expiring.
    "inventory-reservations-expire": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.inventory.tasks.reservations_expire"},
        "schedule": 60.0,
    },
    # Hourly, but each store gets at most one email a day, the first run after 07:00 in the
    # store's own time zone (apps.inventory.services.low_stock_email_send).
    "inventory-low-stock-email": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.inventory.tasks.low_stock_email"},
        "schedule": 3600.0,
    },
    # Unpaid card orders give their stock back after the store's reservation time.
    "checkout-unpaid-orders-expire": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.checkout.tasks.unpaid_orders_expire"},
        "schedule": 60.0,
    },
    # Order confirmations the Redis queue missed (apps.orders.confirmations), after 5 minutes.
    "orders-confirmations-sweep": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.orders.tasks.order_confirmations_sweep"},
        "schedule": 300.0,
    },
    # Guests' carts untouched for 30 days (customers' carts stay).
    "cart-abandoned-delete": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.cart.tasks.carts_abandoned_delete"},
        "schedule": 86400.0,
    },
    # Uploaded files that no row refers to (a rolled-back upload), older than an hour.
    "catalog-media-sweep": {
        "task": "apps.core.fleet.fleet_fan_out",
        "kwargs": {"task": "apps.catalog.tasks.media_orphans_sweep"},
        "schedule": 86400.0,
    },
}

# --- payments ----------------------------------------------------------------------------
# Provider secrets are encrypted at rest (Fernet) with a key derived from this (SECRET_KEY when
# empty); old keys still decrypt while secrets are re-saved after a rotation.
PAYMENTS_ENCRYPTION_KEY = env("PAYMENTS_ENCRYPTION_KEY", default="")
PAYMENTS_ENCRYPTION_OLD_KEYS = env.list("PAYMENTS_ENCRYPTION_OLD_KEYS", default=[])

# --- logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"schema": {"()": "apps.core.logging.StoreSchemaFilter"}},
    "formatters": {
        "store": {"format": "%(asctime)s %(levelname)s [%(schema)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["schema"], "formatter": "store"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
