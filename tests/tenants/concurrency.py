"""Run work on connections of its own, so it commits for real (outside the test's transaction).

Used by the tests that need two signups truly at the same time, or committed pool schemas.
Whatever such a test commits, it must also remove (with `committed(...)` again).
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, connections


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    def join(self, timeout: float = 60) -> "Outcome":
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the concurrent work did not finish"
        return self


def start(work: Callable[..., Any], /, **kwargs: Any) -> Outcome:
    """Start `work(**kwargs)` in a thread with its own Django connection (autocommit)."""
    outcome = Outcome()

    def run() -> None:
        try:
            connection.set_schema_to_public()
            outcome.value = work(**kwargs)
        except BaseException as exc:  # handed to the test, which asserts on it
            outcome.error = exc
        finally:
            connections.close_all()

    outcome.thread = threading.Thread(target=run, daemon=True)
    outcome.thread.start()
    return outcome


def committed(work: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Run `work(**kwargs)` on its own connection, wait, and return its result (or raise)."""
    outcome = start(work, **kwargs).join()
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def raw_connection() -> psycopg.Connection:
    """A plain psycopg connection to the test database (no Django, no transaction opened)."""
    settings_dict = connection.settings_dict
    return psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
    )


def wait_for_lock_waiters(observer: psycopg.Connection, count: int, timeout: float = 20) -> None:
    """Block until `count` other sessions of this database wait on a lock."""
    deadline = time.monotonic() + timeout
    while True:
        # Activity is snapshotted once per transaction: the observer may be inside one.
        observer.execute("SELECT pg_stat_clear_snapshot()")
        waiting = observer.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        ).fetchone()[0]
        if waiting >= count:
            return
        assert time.monotonic() < deadline, f"only {waiting} of {count} sessions reached the lock"
        time.sleep(0.02)
