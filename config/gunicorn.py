"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`. Everything from the env.

Workers are recycled after GUNICORN_MAX_REQUESTS requests (± jitter, so they do not all
restart at once). With CONN_MAX_AGE this bounds how long one PostgreSQL connection lives,
and so how large its per-schema catalog cache can grow (README, "Memory").
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = f"{os.environ.get('GUNICORN_BIND_HOST', '0.0.0.0')}:{_int('PORT', 8000)}"  # noqa: S104
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Each worker imports the app itself: no database connection or Redis client is shared
# across a fork, and a recycled worker starts clean.
preload_app = False
# GUNICORN_ACCESS_LOG="" turns the access log off (the benchmarks do).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms host=%({host}i)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow container disk.
_SHM = "/dev/shm"  # noqa: S108 (gunicorn's own heartbeat files, per worker)
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    _SHM if os.path.isdir(_SHM) else None
)
