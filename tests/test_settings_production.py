"""Production settings refuse to start half-configured, and `check --deploy` is clean.

Each case runs `manage.py` in a subprocess with a controlled environment, as a server would.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

REALISTIC_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Gq2pVn9LrT4wYb8ZcK1mHs6JdF3aNe5uRoPiQyXlEgBvCtMzWkDhSjU0fA-_q",
    "BASE_DOMAIN": "shops.example.com",
    # Never connected to: `check` does not open a database connection.
    "DATABASE_URL": "postgres://pycommerce:secret@db.internal:5432/pycommerce",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A clean environment: nothing from the developer's shell leaks in.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _without(name: str) -> dict[str, str]:
    return {key: value for key, value in REALISTIC_ENV.items() if key != name}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set in production"),
        ("BASE_DOMAIN", "BASE_DOMAIN must be set in production"),
        ("DATABASE_URL", "DATABASE_URL must be set in production"),
        ("REDIS_URL", "REDIS_URL must be set in production"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    # when
    result = _manage("check", env=_without(missing))

    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", env={**REALISTIC_ENV, "SECRET_KEY": "too-short"})

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_check_deploy_is_clean_with_realistic_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=REALISTIC_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_derives_hosts_and_turns_debug_off():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CELERY_TASK_ALWAYS_EAGER)",
        env=REALISTIC_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "False ['shops.example.com', '.shops.example.com'] True False"
    )
