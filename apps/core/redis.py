"""The Redis behind the default cache, for the few places that need more than get/set
(Lua scripts, lists). None when the default cache is not Redis (a development run on the
local-memory cache): callers then fall back to what the cache API can do."""

from django.core.cache import caches


def cache_redis():
    try:
        from django_redis import get_redis_connection
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a base requirement
        return None
    if not isinstance(caches["default"], RedisCache):  # `cache` is only a proxy
        return None
    return get_redis_connection("default")
