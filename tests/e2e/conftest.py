"""Browser journeys: a real gunicorn serving the test database, driven by headless Chromium.

The server is another process, so these tests cannot use the test transaction: they set up
and clean up what they create themselves (inside `django_db_blocker.unblock()`), and the
stores they create are deleted through tenants.services at the end.
"""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop is Playwright's own).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = BASE_DIR / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Talk to the loopback server directly, whatever proxy the environment names.
    "--no-proxy-server",
]
SERVER_START_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "postgres", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    if host.startswith("/"):  # a unix socket directory (the embedded PostgreSQL)
        host = quote(host, safe="")
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early; see {log_path}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer {url} in {SERVER_START_TIMEOUT}s; see {log_path}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.skip(
            "BROWSER TESTS SKIPPED: /usr/bin/chromium is not installed. "
            "Install Debian's package (`apt-get install -y chromium`); never `playwright install`."
        )
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def media_root(tmp_path_factory) -> Path:
    """Where the browser tests' stores keep their uploads. The live server serves it
    (SERVE_MEDIA); a fixture that stores files for it writes there (override_settings)."""
    return tmp_path_factory.mktemp("e2e-media")


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    """Where the live server writes the emails it sends, one file per message (it is another
    process, so pytest's locmem outbox never sees them)."""
    return tmp_path_factory.mktemp("e2e-mail")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker, chromium_path, media_root, mail_dir) -> str:
    """http://localhost:PORT served by gunicorn against the pytest test database, serving
    static files (WhiteNoise, from the finders) and the stores' media files (SERVE_MEDIA)."""
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(settings_dict),
        # Connections are not kept: the test database is dropped at the end of the session.
        "CONN_MAX_AGE": "0",
        # gunicorn runs without DEBUG, so it serves product images only when told to.
        "SERVE_MEDIA": "1",
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/readyz", process, log_path)
        yield f"http://localhost:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Module scope, not session: while Playwright's loop runs, Django hands the main thread a
# separate connection, which would outlive the session and block dropping the test database.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
