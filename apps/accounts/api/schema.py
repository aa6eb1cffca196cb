"""OpenAPI descriptions drf-spectacular cannot infer (imported from AccountsConfig.ready)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class StoreJWTScheme(SimpleJWTScheme):
    target_class = "apps.accounts.api.authentication.StoreJWTAuthentication"
    name = "jwtAuth"
