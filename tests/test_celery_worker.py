"""A real Celery worker (a subprocess, Redis broker) runs the welcome email in the right store.

The store is provisioned and committed for real; `store_provision` queues the task with
`transaction.on_commit`, the worker picks it up from its own queue, switches to the schema
the task carries (tenant-schemas-celery) and writes one email to a file.
"""

import os
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import User
from config.celery import app as celery_app
from tenants import services

pytestmark = pytest.mark.worker

WELCOME_TASK = "apps.accounts.tasks.welcome_email_send"
WAIT_SECONDS = 60


def _redis_answers() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _test_database_url() -> str:
    """The pytest database as a DATABASE_URL the worker's settings understand."""
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # a unix socket directory (the embedded PostgreSQL)
        return f"postgres://{credentials}@/{quote(host, safe='')}/{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(tmp_path):
    """A `celery worker` subprocess consuming a queue of its own; yields (queue, mail dir)."""
    if not _redis_answers():
        pytest.skip(
            f"!!! REDIS IS DOWN ({settings.REDIS_URL}): the real-worker test did not run. "
            "Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379"
        )
    queue = f"pyc-test-{uuid.uuid4().hex[:12]}"
    node = f"{queue}@localhost"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_EAGER": "0",
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": _test_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    celery_bin = Path(sys.executable).with_name("celery")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(celery_bin),
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "-n",
                node,
                "--loglevel",
                "INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until(
            lambda: celery_app.control.ping(destination=[node], timeout=0.5),
            what=f"the worker {node} to answer a ping",
            process=process,
            log_path=log_path,
        )
        yield queue, mail_dir, node, process, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def _wait_until(predicate, *, what: str, process, log_path: Path):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}):\n{log_path.read_text()}")
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log_path.read_text()}")
    return None


def _welcome_sent_at(schema: str, user_id: int):
    with schema_context(schema):
        return User.objects.values_list("welcome_email_sent_at", flat=True).get(pk=user_id)


def _owner_id(schema: str, email: str) -> int:
    with schema_context(schema):
        return User.objects.values_list("pk", flat=True).get(email=email)


def _tasks_done(node: str) -> int:
    stats = celery_app.control.inspect(destination=[node], timeout=1).stats() or {}
    return stats.get(node, {}).get("total", {}).get(WELCOME_TASK, 0)


def test_welcome_email_runs_once_in_the_new_stores_schema(
    celery_worker_process, two_stores, django_db_blocker
):
    queue, mail_dir, node, process, log_path = celery_worker_process
    other = two_stores[1]
    slug = f"worker-{uuid.uuid4().hex[:8]}"
    owner_email = f"owner@{slug}.test"

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        # given: the other store's owner has no welcome email on record (a task run in the
        # wrong schema would stamp it: owners are usually user 1 in every store)
        other_owner_id = _owner_id(other.schema, other.owner_email)
        other_before = _welcome_sent_at(other.schema, other_owner_id)
        with schema_context(other.schema):
            User.objects.filter(pk=other_owner_id).update(welcome_email_sent_at=None)

        eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        provisioned = None
        try:
            # when: a store is provisioned (the task is queued on commit)
            provisioned = services.store_provision(
                name="Worker Test Store",
                slug=slug,
                owner_email=owner_email,
                owner_password="Correct-Horse-42!",
                strategy=services.ProvisionStrategy.CLONE,
            )
            schema = provisioned.tenant.schema_name
            owner_id = provisioned.owner_id

            # then: the worker stamps the owner in the new store's schema
            sent_at = _wait_until(
                lambda: _welcome_sent_at(schema, owner_id),
                what="welcome_email_sent_at in the new store",
                process=process,
                log_path=log_path,
            )
            # and when: the same task is delivered again, explicitly for that store
            celery_app.send_task(
                WELCOME_TASK,
                kwargs={"user_id": owner_id},
                headers={"_schema_name": schema},
                queue=queue,
            )
            _wait_until(
                lambda: _tasks_done(node) >= 2,
                what="the second delivery to be processed",
                process=process,
                log_path=log_path,
            )

            # then: still one email, to this store's owner, and the stamp did not move
            assert _welcome_sent_at(schema, owner_id) == sent_at
            messages = [message_from_bytes(path.read_bytes()) for path in mail_dir.iterdir()]
            assert len(messages) == 1
            assert messages[0]["To"] == owner_email
            assert messages[0]["X-PyCommerce-Store"] == slug
            # and the other store's owner was never touched
            assert _welcome_sent_at(other.schema, other_owner_id) is None
        finally:
            celery_app.conf.task_always_eager = eager
            celery_app.conf.task_default_queue = default_queue
            with schema_context(other.schema):
                User.objects.filter(pk=other_owner_id).update(welcome_email_sent_at=other_before)
            if provisioned is not None:
                services.store_delete(tenant=provisioned.tenant, confirmation=slug)
