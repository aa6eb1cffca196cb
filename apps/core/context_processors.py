from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    """The platform's name and, on a store host, the store being served."""
    store = getattr(request, "tenant", None)
    is_store = store is not None and getattr(store, "slug", None) is not None
    return {
        "platform_name": settings.PLATFORM_NAME,
        "store": store if is_store else None,
    }
