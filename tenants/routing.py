"""Hostname → store, resolved from an in-process map that costs no query on a warm worker.

Every change to a store or a domain bumps a version number in the shared ("platform") cache;
each worker compares its copy with it at most every TENANT_ROUTING_CHECK_INTERVAL seconds and
drops its map when they differ. So a warm request does no SQL at all, and a change is seen by
every worker within that interval.
"""

import threading
import time
import uuid

from django.conf import settings
from django.core.cache import caches

from tenants.models import Domain, Tenant

VERSION_KEY = "tenant-routing-version"
# Unknown hosts are remembered too (random Host headers must not each cost a query), but the
# map is bounded: past this many entries it starts afresh.
MAX_HOSTS = 10_000

_lock = threading.Lock()
_hosts: dict[str, Tenant | None] = {}
_state = {"version": None, "checked_at": float("-inf")}


def _shared_cache():
    return caches["platform"]


def routing_invalidate() -> None:
    """Tell every worker that some hostname → store mapping changed."""
    _shared_cache().set(VERSION_KEY, uuid.uuid4().hex, None)
    with _lock:
        _hosts.clear()


def _drop_if_stale() -> None:
    now = time.monotonic()
    if now - _state["checked_at"] < settings.TENANT_ROUTING_CHECK_INTERVAL:
        return
    version = _shared_cache().get(VERSION_KEY)
    with _lock:
        if version != _state["version"]:
            _hosts.clear()
            _state["version"] = version
        _state["checked_at"] = now


def store_for_host(hostname: str) -> Tenant | None:
    """The store serving `hostname` (active or suspended), or None."""
    _drop_if_stale()
    try:
        return _hosts[hostname]
    except KeyError:
        pass
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=hostname, tenant__status__in=[Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED])
        .first()
    )
    tenant = domain.tenant if domain else None
    with _lock:
        if len(_hosts) >= MAX_HOSTS:
            _hosts.clear()
        _hosts[hostname] = tenant
    return tenant


def cached_host_count() -> int:
    return len(_hosts)
