"""The store configuration memo (apps.core.store_config): loaded once, exact after every write
(this thread's, another connection's, committed or rolled back), one version read per request,
per store, bounded, and still correct with Redis down."""

import logging
import threading

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from django_tenants.utils import schema_context

from apps.core import store_config
from apps.core.store_config import store_config_changed, store_memo
from apps.discounts import services as discounts
from apps.discounts.models import Promotion
from apps.discounts.selectors import promotion_rules_running
from tests.tenants import concurrency


class Loader:
    """A loader that counts its calls and answers what it is told."""

    def __init__(self, value: object = "v1") -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


@pytest.fixture(autouse=True)
def _empty_memo():
    store_config.store_memo_clear()
    yield
    store_config.store_memo_clear()


@pytest.fixture
def in_a(store_a):
    with schema_context(store_a.schema):
        yield store_a


@pytest.fixture
def version_reads(monkeypatch) -> list[str]:
    """The schema of every version read from Redis."""
    reads: list[str] = []
    real = store_config.version_current

    def counted(key: str) -> int:
        reads.append(connection.schema_name)
        return real(key)

    monkeypatch.setattr(store_config, "version_current", counted)
    return reads


def _send(signal) -> None:
    """Send request_started / request_finished as the test client does: without closing the
    test's connection (it is inside the test's transaction)."""
    signal.disconnect(close_old_connections)
    try:
        signal.send(sender=None)
    finally:
        signal.connect(close_old_connections)


@pytest.fixture
def request_scope():
    """A request around the test."""
    _send(request_started)
    yield
    _send(request_finished)


def test_a_value_is_loaded_once_until_the_store_changes(in_a):
    loader = Loader()
    assert [store_memo("thing", loader) for _ in range(3)] == ["v1"] * 3
    assert loader.calls == 1
    # when: a write (no transaction of its own here: the test's)
    loader.value = "v2"
    store_config_changed()
    # then
    assert store_memo("thing", loader) == "v2"
    assert store_memo("thing", loader) == "v2"
    assert loader.calls == 2


def test_outside_requests_every_call_reads_the_version(in_a, version_reads):
    store_memo("a", Loader())
    store_memo("b", Loader())
    assert len(version_reads) == 2


def test_a_request_reads_the_version_once_and_sees_its_own_writes(
    in_a, version_reads, request_scope
):
    loaders = {name: Loader(name) for name in ("promotions", "zones", "tax")}
    for _ in range(2):
        for name, loader in loaders.items():
            assert store_memo(name, loader) == name
    assert version_reads == [in_a.schema]
    # when: the request changes the configuration
    loaders["tax"].value = "new tax"
    store_config_changed()
    # then: it sees its write, with no further read of the version
    assert store_memo("tax", loaders["tax"]) == "new tax"
    assert version_reads == [in_a.schema]
    # and the next request reads it again
    _send(request_finished)
    _send(request_started)
    assert store_memo("tax", loaders["tax"]) == "new tax"
    assert version_reads == [in_a.schema, in_a.schema]
    assert loaders["tax"].calls == 2


def test_one_store_never_answers_for_another(store_a, store_b):
    loaders = {store_a.schema: Loader("A"), store_b.schema: Loader("B")}
    for _ in range(2):
        for schema, loader in loaders.items():
            with schema_context(schema):
                assert store_memo("methods", loader) == loader.value
    assert [loader.calls for loader in loaders.values()] == [1, 1]
    # when: store A changes; then B's value stays memoised, A's is loaded again
    with schema_context(store_a.schema):
        store_config_changed()
        assert store_memo("methods", loaders[store_a.schema]) == "A"
    with schema_context(store_b.schema):
        assert store_memo("methods", loaders[store_b.schema]) == "B"
    assert [loader.calls for loader in loaders.values()] == [2, 1]
    # and the other way round
    with schema_context(store_b.schema):
        store_config_changed()
        assert store_memo("methods", loaders[store_b.schema]) == "B"
    with schema_context(store_a.schema):
        assert store_memo("methods", loaders[store_a.schema]) == "A"
    assert [loader.calls for loader in loaders.values()] == [2, 2]


def test_the_memo_is_bounded_and_keeps_the_recently_used(in_a, monkeypatch):
    monkeypatch.setattr(store_config, "MAX_ENTRIES", 3)
    loaders = {name: Loader(name) for name in "abcd"}
    for name in "abc":
        store_memo(name, loaders[name])
    store_memo("a", loaders["a"])  # a is now the most recently used
    store_memo("d", loaders["d"])  # b goes
    assert store_config.store_memo_size() == 3
    for name in "acd":
        store_memo(name, loaders[name])
    store_memo("b", loaders["b"])
    assert {name: loader.calls for name, loader in loaders.items()} == {
        "a": 1, "b": 2, "c": 1, "d": 1,
    }  # fmt: skip


# --- writes in transactions -----------------------------------------------------------------


def _running() -> list[str]:
    return [rule.name for rule in promotion_rules_running()]


def test_a_rolled_back_write_leaves_nothing_memoised(in_a):
    discounts.promotion_create(name="Kept", value="10", scope="all")
    assert _running() == ["Kept"]

    class Refused(Exception):
        pass

    def write_read_and_refuse() -> None:
        with transaction.atomic():
            discounts.promotion_create(name="Rolled back", value="20", scope="all")
            assert _running() == ["Kept", "Rolled back"]
            raise Refused

    # when: a write is read back inside its savepoint, which then rolls back
    with pytest.raises(Refused):
        write_read_and_refuse()
    # then: nobody is ever given the rolled-back promotion
    assert _running() == ["Kept"]


def test_another_connection_never_sees_uncommitted_configuration(in_a):
    # given: this thread's transaction (the test's) has a promotion nobody else can see yet,
    # and has memoised it
    discounts.promotion_create(name="Not committed", value="10", scope="all")
    assert _running() == ["Not committed"]

    def read(*, schema: str) -> list[str]:
        with schema_context(schema):
            return _running()

    # when / then: another thread (its own connection) reads the committed configuration
    assert concurrency.committed(read, schema=in_a.schema) == []
    assert _running() == ["Not committed"]


@pytest.fixture
def committed_promotion(store_a):
    """A promotion committed in store A on a connection of its own, deleted afterwards."""

    def create(*, schema: str) -> int:
        with schema_context(schema):
            return discounts.promotion_create(name="Committed", value="10", scope="all").pk

    def delete(*, schema: str, pk: int) -> None:
        with schema_context(schema):
            Promotion.objects.filter(pk=pk).delete()

    pk = concurrency.committed(create, schema=store_a.schema)
    yield pk
    concurrency.committed(delete, schema=store_a.schema, pk=pk)


def _values() -> list[str]:
    return [str(rule.value) for rule in promotion_rules_running()]


def test_a_commit_on_another_connection_is_seen_at_once(in_a, committed_promotion):
    assert _values() == ["10.00"]

    def update(*, schema: str) -> None:
        with schema_context(schema):
            promotion = Promotion.objects.get(pk=committed_promotion)
            discounts.promotion_update(promotion=promotion, value="15")

    concurrency.committed(update, schema=in_a.schema)
    assert _values() == ["15.00"]


@pytest.mark.parametrize("commit_outside_the_schema", [False, True])
def test_a_value_loaded_before_another_connection_commits_is_dropped_on_its_commit(
    in_a, committed_promotion, commit_outside_the_schema
):
    """Another process may load the old committed data after the writer's first bump and
    before its commit: the bump on commit drops it."""
    written, read_done = threading.Event(), threading.Event()

    def write(*, schema: str) -> None:
        def change() -> None:
            promotion = Promotion.objects.get(pk=committed_promotion)
            promotion.value = "25"
            promotion.save()  # the first bump, through post_save
            written.set()
            assert read_done.wait(20)

        if commit_outside_the_schema:
            with transaction.atomic():
                with schema_context(schema):
                    change()
                assert connection.schema_name == "public"
        else:
            with schema_context(schema), transaction.atomic():
                change()

    writer = concurrency.start(write, schema=in_a.schema)
    assert written.wait(20)
    # when: this "process" loads while the write is not committed
    assert _values() == ["10.00"]
    read_done.set()
    assert writer.join().error is None
    # then: the commit's bump drops it
    assert _values() == ["25.00"]


# --- Redis down -----------------------------------------------------------------------------


def _redis_down():
    """The default cache pointed at a port where nothing listens."""
    from django.conf import settings

    cache = {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:9/0"}
    return override_settings(CACHES={**settings.CACHES, "default": cache})


def test_with_redis_down_answers_stay_right_and_nothing_is_memoised(
    in_a, django_assert_num_queries, caplog
):
    discounts.promotion_create(name="Before", value="10", scope="all")
    assert _running() == ["Before"]
    caplog.set_level(logging.WARNING, logger="apps.core.store_config")
    with _redis_down():
        # every read loads (one query), none fails
        for _ in range(2):
            with django_assert_num_queries(1):
                assert _running() == ["Before"]
        # a write does not fail either, and is seen
        promotion = discounts.promotion_create(name="During", value="20", scope="all")
        assert _running() == ["Before", "During"]
    assert [r.levelname for r in caplog.records if r.name == "apps.core.store_config"] == [
        "WARNING"
    ]
    # when: Redis is back, the memo starts again from what is stored now
    assert _running() == ["Before", "During"]
    with django_assert_num_queries(0):
        assert _running() == ["Before", "During"]
    Promotion.objects.filter(pk=promotion.pk).delete()
    assert _running() == ["Before"]


def test_a_bump_that_failed_is_made_once_redis_is_back(in_a):
    loader = Loader("old")
    store_memo("thing", loader)
    with _redis_down():
        store_config_changed()
    assert store_config._owed == {in_a.schema}
    # a process that memoised before the outage, and did not notice it, is told by this one
    store_config._memo[(in_a.schema, None, "thing")] = store_config._Entry(
        version=store_config.version_current(store_config.VERSION_KEY), tag=None, value="old"
    )
    loader.value = "new"
    assert store_memo("thing", loader) == "new"
    assert store_config._owed == set()
