"""A per-process memo of each store's configuration: what every pricing reads and merchants
change rarely (running promotions, shipping zones, tax, payment methods, checkout settings).

Exact, never time-based:
- Each store has a configuration version (apps.core.versions, key "config:version"). Every
  write to a configuration model moves it: `store_config_changed()` bumps it at once (readers
  drop what they had, and the writer's own request sees its write) and again when the
  transaction commits (anything another process loaded from the old committed data in between
  is dropped too).
- `store_memo(name, loader)` keeps loader()'s result per (store, name) with the version it was
  loaded at, and loads again once the version moved. Read the version, then load: a value is
  never labelled with a version newer than its data.
- The version is read from Redis once per request (request_started opens a per-thread scope,
  request_finished closes it); outside requests (Celery tasks, the shell, tests calling
  services) on every call. Every process must share the counter: Redis (production requires
  REDIS_URL); the local-memory cache of a development run without Redis is per process.
- A transaction with configuration writes not yet committed memoises its own reads apart,
  tagged with its innermost savepoint that wrote: no other thread ever sees them, and a
  rollback (of the transaction or of that savepoint) leaves nothing behind.
- Redis unavailable: values are loaded on every call, never memoised (a warning once per
  outage), and this process forgets what it had. A bump that failed is made again by this
  process the next time it reads that store's version. A process that neither read nor wrote
  that store during the outage keeps its memo until the next write (or until Redis lost the
  counter, which then starts above every old value).

Which writes count: the models in WATCHED below, whose post_save/post_delete (and m2m_changed
of the M2M fields listed) are connected in one place, apps.core.apps.CoreConfig.ready().
Writes that send no signals (bulk_create, QuerySet.update) call store_config_changed()
themselves (apps.shipping.services.methods replaces brackets with bulk_create).

Values are shared by every request of the process: callers must treat them as read-only.
Loaders return tuples, frozen dataclasses and read-only mappings, not live model instances.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tenants.utils import schema_context

from apps.core.versions import version_bump, version_current

logger = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=Model)

VERSION_KEY = "config:version"
# Entries are (store, name): about eight per store, so this covers ~120 busy stores a process.
MAX_ENTRIES = 1000

# "app_label.Model" -> its M2M fields that are configuration too. Category: promotion scopes
# hold category paths, which a move or rename rewrites (apps.catalog.services.categories).
# Product is not watched: a deleted product's id, left in a scope, is never used again.
WATCHED: dict[str, tuple[str, ...]] = {
    "discounts.Promotion": ("categories", "products"),
    "catalog.Category": (),
    "shipping.ShippingZone": (),
    "shipping.ShippingMethod": (),
    "shipping.ShippingBracket": (),
    "tax.TaxRate": (),
    "tax.TaxSettings": (),
    "payments.PaymentProviderConfig": (),
    "checkout.CheckoutSettings": (),
}


@dataclass(frozen=True)
class _Entry:
    version: int
    tag: object  # None: committed data; else the _CommitBump of the transaction it came from
    value: Any


_lock = threading.Lock()
_memo: "OrderedDict[tuple[str, Any, str], _Entry]" = OrderedDict()
_local = threading.local()  # .scope: {schema: version or None} during a request
_owed: set[str] = set()  # schemas whose bump failed (Redis down), to bump again
_redis_state = {"down": False}


# --- the version ----------------------------------------------------------------------------


def _scope() -> dict[str, int | None] | None:
    return getattr(_local, "scope", None)


def _redis_failed(error: Exception) -> None:
    with _lock:
        _memo.clear()  # writes may go unseen meanwhile: start again once Redis is back
    if not _redis_state["down"]:
        _redis_state["down"] = True
        logger.warning("Store configuration is read without memo: Redis failed (%r).", error)


def _redis_answered() -> None:
    if _redis_state["down"]:
        _redis_state["down"] = False
        logger.info("Store configuration is memoised again: Redis answers.")


def _version_fetch(schema: str) -> int | None:
    try:
        if schema in _owed:
            version = version_bump(VERSION_KEY)
            _owed.discard(schema)
        else:
            version = version_current(VERSION_KEY)
    except Exception as error:
        _redis_failed(error)
        return None
    _redis_answered()
    return version


def _version(schema: str) -> int | None:
    """The store's configuration version: from the request's scope, else Redis; None when
    Redis cannot be read."""
    scope = _scope()
    if scope is not None and schema in scope:
        return scope[schema]
    version = _version_fetch(schema)
    if scope is not None:
        scope[schema] = version  # None too: Redis is tried once per request
    return version


def _bump(schema: str) -> None:
    """Move the version of `schema` (the current one) on, and let this request see it."""
    try:
        version = version_bump(VERSION_KEY)
    except Exception as error:
        _owed.add(schema)
        version = None
        _redis_failed(error)
    else:
        _redis_answered()
    scope = _scope()
    if scope is not None:
        scope[schema] = version


class _CommitBump:
    """The on-commit bump of one store's version, queued by the first configuration write of
    each savepoint level of a transaction. While it is queued, this thread's transaction holds
    writes nobody else can see; once its savepoint rolls back, Django drops it."""

    __slots__ = ("schema",)

    def __init__(self, schema: str) -> None:
        self.schema = schema

    def __call__(self) -> None:
        if connection.schema_name == self.schema:
            _bump(self.schema)
        else:  # the transaction committed after leaving the store's schema
            with schema_context(self.schema):
                _bump(self.schema)


def _last_pending(schema: str) -> tuple[set[str], _CommitBump] | None:
    """The innermost queued bump of `schema` in this thread's transaction, with the savepoints
    it was queued in."""
    if not connection.in_atomic_block:
        return None
    # run_on_commit holds (savepoint ids, callback, robust), in the order they were queued; a
    # rolled-back savepoint's callbacks are removed from it.
    for entry in reversed(connection.run_on_commit):
        callback = entry[1]
        if isinstance(callback, _CommitBump) and callback.schema == schema:
            return entry[0], callback
    return None


def _transaction_tag(schema: str) -> _CommitBump | None:
    """What this thread's reads of `schema` are memoised under: None for committed data; the
    innermost queued bump while its transaction has uncommitted writes, so what is read after
    a write is dropped when that write's savepoint rolls back."""
    pending = _last_pending(schema)
    return pending[1] if pending else None


def store_config_changed(**_signal_kwargs: Any) -> None:
    """The current store's configuration changed (or is about to, in this transaction): bump
    its version now and again on commit. Also a signal receiver."""
    schema = connection.schema_name
    _bump(schema)
    if connection.in_atomic_block:
        pending = _last_pending(schema)
        if pending is None or pending[0] != set(connection.savepoint_ids):
            transaction.on_commit(_CommitBump(schema))


# --- the memo -------------------------------------------------------------------------------


def store_memo(name: str, loader: Callable[[], T]) -> T:
    """loader()'s result for the current store, memoised in this process until the store's
    configuration changes. The result is shared: never change it."""
    schema = connection.schema_name
    version = _version(schema)
    if version is None:
        return loader()
    tag = _transaction_tag(schema)
    # The tenant's id too (requests and tasks carry the Tenant; schema_context() does not): a
    # deleted store's schema name, and its counter, may come back for a new store.
    key = (schema, getattr(getattr(connection, "tenant", None), "pk", None), name)
    with _lock:
        entry = _memo.get(key)
        if entry is not None and entry.version == version and entry.tag is tag:
            _memo.move_to_end(key)
            return entry.value
    value = loader()
    with _lock:
        current = _memo.get(key)
        # Versions only grow: never replace a newer committed entry with an older one.
        if tag is not None or current is None or current.version <= version:
            _memo[key] = _Entry(version=version, tag=tag, value=value)
            _memo.move_to_end(key)
            while len(_memo) > MAX_ENTRIES:
                _memo.popitem(last=False)
    return value


def store_config_row(model: type[M], **lookup: Any) -> M:
    """`model.objects.get_or_create(**lookup)` for a store's settings row, for loaders, but
    without signals: the row is created with the defaults, which is what every loader would
    have seen, so it changes no memoised value and must not move the version (that would drop
    the whole store's memo on its first pricing)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        model.objects.bulk_create([model(**lookup)], ignore_conflicts=True)
        row = model.objects.get(**lookup)
    return row


def store_memo_clear() -> None:
    """Forget every memoised value of this process (tests, or to free memory)."""
    with _lock:
        _memo.clear()


def store_memo_size() -> int:
    return len(_memo)


# --- wiring (apps.core.apps.CoreConfig.ready) -----------------------------------------------


def _scope_open(**_kwargs: Any) -> None:
    _local.scope = {}


def _scope_close(**_kwargs: Any) -> None:
    _local.scope = None


def store_config_connect() -> None:
    """Connect the request scope and every watched model's signals (idempotent)."""
    request_started.connect(_scope_open, dispatch_uid="store_config_scope_open")
    request_finished.connect(_scope_close, dispatch_uid="store_config_scope_close")
    for label, m2m_fields in WATCHED.items():
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(store_config_changed, sender=model, dispatch_uid=f"store_config_{label}")
        for field in m2m_fields:
            m2m_changed.connect(
                _m2m_changed,
                sender=getattr(model, field).through,
                dispatch_uid=f"store_config_{label}.{field}",
            )


def _m2m_changed(*, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        store_config_changed()
