"""Gunicorn's settings for production (`make serve`, the systemd unit in docs/deploy.md).

Everything can be changed from the environment; the defaults suit a small server with two cores
behind nginx or Caddy on the same machine. See docs/deploy.md for the whole set-up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

wsgi_app = "drivkraft.wsgi:application"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


# GUNICORN_BIND wins (comma-separated, e.g. "unix:/run/drivkraft/gunicorn.sock"); otherwise
# HOST and PORT, as for `make run`. Loopback by default: only the reverse proxy may reach us,
# since the app trusts its X-Forwarded-Proto header.
bind = [
    address.strip()
    for address in os.environ.get(
        "GUNICORN_BIND",
        f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}",
    ).split(",")
    if address.strip()
]

# One process per core, each with threads that overlap the waits on PostgreSQL and the network:
# on two cores 2 x 8 gthread had the best throughput of the variants `make bench` compared.
# Every thread may keep one database connection open (CONN_MAX_AGE), so a server holds up to
# workers x threads connections; keep that below PostgreSQL's max_connections over all servers.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 8)

# A request that takes longer than this is stuck: the worker is killed and replaced. Report PDFs
# are rendered by the task worker, not here, so no page needs long.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM/SIGHUP, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive towards the proxy on the same machine or network.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle each worker now and then (with jitter, so they do not all restart at once): a slow leak
# in a library never grows large.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# The proxies whose X-Forwarded-* headers are believed (comma-separated addresses or networks).
# Gunicorn also reads FORWARDED_ALLOW_IPS itself; the default is the proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Off by default: without preloading, `systemctl reload` (SIGHUP) starts workers with the new code
# and lets the old ones finish, which is how an upgrade avoids downtime. When it is on, the
# pre_fork hook below keeps the master's database connections out of the workers.
preload_app = _bool("GUNICORN_PRELOAD", False)

# Logs go to stdout/stderr (journald under systemd); the client address behind the proxy too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", os.environ.get("LOG_LEVEL", "info")).lower()
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)

# The worker heartbeat in memory, not on a disk that may stall.
if Path("/dev/shm").is_dir():  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Gunicorn's control socket lives in one fixed place per user, so two servers on one machine
# would fight over it: only when asked for, at a path of its own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def pre_fork(server: Any, worker: Any) -> None:
    """With preload_app, a connection the master opened while loading must not be shared by the
    forked workers: close it before each fork."""
    if not preload_app:
        return
    from django.db import connections

    connections.close_all()
