"""The portal served as in production, for the harnesses that start gunicorn against PostgreSQL:
the load test, the fault drills, the benchmark and the two-server test (not a test module).

Production settings (DEBUG=0, a fresh SECRET_KEY per run, SECURE_SSL_REDIRECT off because there
is no TLS on loopback) against a PostgreSQL database of its own, with gunicorn started with
explicit flags on a loopback port (from 8201–8229 unless the harness picks one). Everything here
is plain subprocess and psycopg work, so a harness can stop, kill and restart the pieces it is
testing.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's executables: harnesses run under its Python
HOST = "127.0.0.1"  # load and faults only ever target loopback
PORTS = range(8201, 8230)


class HarnessError(Exception):
    """A step of the harness itself failed (as opposed to the check it runs). A harness may
    subclass it for its own steps; everything here raises this one."""


# --- PostgreSQL -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL server reachable as `user` without a password (trust on loopback)."""

    port: int = 5432
    host: str = HOST
    user: str = "postgres"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def url(self, database: str) -> str:
        """The DATABASE_URL form, as the settings read it."""
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}"

    def recreate(self, database: str) -> None:
        self.drop(database)
        with psycopg.connect(self.dsn(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))

    def drop(self, database: str) -> None:
        with psycopg.connect(self.dsn(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )

    def scalar(self, database: str, query: str) -> object:
        with psycopg.connect(self.dsn(database), connect_timeout=10) as conn:
            row = conn.execute(query).fetchone()
        return row[0] if row else None


# --- Django -----------------------------------------------------------------------------------


def production_env(
    database_url: str, *, log_level: str | None = "WARNING", **extra: str
) -> dict[str, str]:
    """The environment of a production deployment on loopback. The secret key is new each run
    and written nowhere; ALLOWED_HOSTS is loopback only. With `log_level` None, LOG_LEVEL is
    left as the caller's environment has it (the settings' default when unset)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="drivkraft.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    if log_level is not None:
        env["LOG_LEVEL"] = log_level
    env.update(extra)
    return env


def run(
    command: Sequence[str],
    *,
    timeout: float = 120,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    label: str | None = None,
) -> str:
    """The standard output of a command that must succeed within `timeout` seconds. The errors
    name it as `label`, or else by its program (a timeout) and its command line (a failure)."""
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"`{label or command[0]}` took more than {timeout:.0f}s") from exc
    if done.returncode != 0:
        raise HarnessError(
            f"`{label or ' '.join(command)}` failed (exit {done.returncode}):\n"
            f"{tail(done.stdout + done.stderr)}"
        )
    return done.stdout


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    return run(
        [sys.executable, "manage.py", *args],
        timeout=timeout,
        cwd=ROOT,
        env=env,
        label=f"manage.py {' '.join(args)}",
    )


def prepare_database(env: dict[str, str], *, measures: int) -> None:
    """Migrate, load the demo programme with `measures` synthetic ones, collect static files."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo", "--measures", str(measures))
    manage(env, "collectstatic", "--noinput", "-v", "0")


# --- gunicorn ---------------------------------------------------------------------------------


def free_port(exclude: set[int] | None = None, *, ports: Sequence[int] = PORTS) -> int:
    """A loopback port nobody listens on, the first free one of `ports` (0: the system picks)."""
    for candidate in ports:
        if exclude and candidate in exclude:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise HarnessError(f"no free loopback port in {ports[0]}–{ports[-1]}")


@dataclass
class Gunicorn:
    """gunicorn, gthread unless told otherwise, started with explicit flags (no gunicorn.conf.py),
    in a session of its own so that stopping it also stops every worker. A subclass may start it
    another way by overriding `command` and `environment`."""

    env: dict[str, str]
    log: Path
    workers: int = 2
    threads: int = 8
    worker_class: str = "gthread"
    keep_alive: int = 2  # gunicorn's default, in seconds
    timeout: int = 60  # seconds before a silent worker is killed (gunicorn's default is 30)
    port: int = 0
    # Sent with the health probe: behind a TLS proxy (`X-Forwarded-Proto: https`), say, where
    # the portal redirects plain HTTP.
    probe_headers: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def command(self) -> list[str]:
        return [
            str(BIN / "gunicorn"),
            "drivkraft.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--worker-class",
            self.worker_class,
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--keep-alive",
            str(self.keep_alive),
            "--graceful-timeout",
            "5",
            "--timeout",
            str(self.timeout),
            "--log-level",
            "warning",
        ]

    def environment(self) -> dict[str, str]:
        return self.env

    def start(self) -> Self:
        self.port = self.port or free_port()
        with self.log.open("ab") as log_file:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        if self.process is None:
            raise HarnessError("gunicorn is not running")
        return self.process.pid

    @property
    def workers_description(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"{self.workers} {self.worker_class} workers{threads}"

    @property
    def description(self) -> str:
        return f"gunicorn, {self.workers_description}, {HOST}:{self.port}"

    def has_exited(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def worker_pids(self) -> set[int]:
        """The master's live child processes, read from /proc."""
        children = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may contain spaces or parentheses: the fields follow the last ")".
            fields = stat.rsplit(")", 1)[1].split()
            state, parent = fields[0], int(fields[1])
            if parent == self.pid and state != "Z":
                children.add(int(entry.name))
        return children

    def wait_until_healthy(self, timeout: float = 60) -> None:
        """Until /healthz answers «ok» and all workers are up."""
        deadline = time.monotonic() + timeout
        problem = "no answer yet"
        while time.monotonic() < deadline:
            if self.has_exited():
                raise HarnessError(f"gunicorn exited:\n{tail_file(self.log)}")
            try:
                status, body = get(self.port, "/healthz", headers=self.probe_headers, timeout=2)
            except OSError as exc:
                problem = str(exc)
            else:
                if status == 200 and body.strip() == b"ok":
                    if len(self.worker_pids()) >= self.workers:
                        return
                    problem = "not all workers are up"
                else:
                    problem = f"HTTP {status}: {body[:200]!r}"
            time.sleep(0.2)
        raise HarnessError(
            f"/healthz did not answer within {timeout:.0f}s ({problem}):\n{tail_file(self.log)}"
        )

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # graceful: the master stops its workers (at most 5 s)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        # The session is ours alone (its id is the master's pid): kill any worker left behind.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def get(
    port: int, path: str, *, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, bytes]:
    status, _headers, body = get_response(port, path, headers=headers, timeout=timeout)
    return status, body


def get_response(
    port: int, path: str, *, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET on a new connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return (
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read(),
        )
    finally:
        conn.close()


# --- the end of a run -------------------------------------------------------------------------


def stop_and_drop(server: Gunicorn | None, pg: Postgres, database: str) -> bool:
    """Stop gunicorn and drop the database, which a second Ctrl+C cannot cut short (both steps
    are bounded in time). False when the database could not be dropped, which is said on stderr."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if server is not None:
            server.stop()
        try:
            pg.drop(database)
        except Exception as exc:
            print(f"Could not drop the database {database}: {exc}", file=sys.stderr)
            return False
        return True
    finally:
        signal.signal(signal.SIGINT, previous)


# --- small things -----------------------------------------------------------------------------


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def tail_file(path: Path, lines: int = 40) -> str:
    try:
        return tail(path.read_text(errors="replace"), lines)
    except OSError:
        return "(no log)"


def log_problems(path: Path) -> list[str]:
    """Lines of a gunicorn log that say something went wrong."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return []
    return [
        line
        for line in text.splitlines()
        if any(word in line for word in ("Traceback", "[ERROR]", "[CRITICAL]", "TIMEOUT"))
    ]


def raise_keyboard_interrupt(signum: int, frame: object) -> None:
    """A SIGTERM handler: take the same way out as Ctrl+C, through the callers' `finally`."""
    raise KeyboardInterrupt
