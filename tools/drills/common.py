"""What the fault drills share: a drill's outcome, a throw-away PostgreSQL cluster, dump and
restore, and a small threaded client that records every request it makes."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools import serving
from tools.serving import HOST, HarnessError, Postgres, tail

DRILL_PG_PORT = 55432  # the throw-away cluster's port; never the machine's 5432


class DrillFailed(Exception):
    """The drill ran, and what it expects did not happen."""


@dataclass
class Outcome:
    name: str
    passed: bool
    seconds: float
    lines: list[str] = field(default_factory=list)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise DrillFailed(message)


# --- PostgreSQL tools -------------------------------------------------------------------------


def pg_bin(tool: str) -> str:
    """A PostgreSQL program of the newest installed server version (Debian's layout)."""
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / tool).exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return str(versions[-1] / tool)
    found = shutil.which(tool)
    if found is None:
        raise HarnessError(f"{tool} is not installed (apt-get install postgresql)")
    return found


def run(command: Sequence[str], *, timeout: float = 120, user: str | None = None) -> str:
    """serving.run, as `user` when we are root (PostgreSQL's programs refuse to run as root)."""
    if user is not None and os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    return serving.run(command, timeout=timeout)


def dump(pg: Postgres, database: str, path: Path) -> None:
    """A backup as the operators take it: pg_dump's custom format."""
    run([pg_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(path), pg.dsn(database)])


def restore(pg: Postgres, database: str, path: Path) -> None:
    """Into a fresh database of that name; any error stops the restore."""
    pg.recreate(database)
    run([pg_bin("pg_restore"), "--no-owner", "--exit-on-error", "-d", pg.dsn(database), str(path)])


class PortReservation:
    """Holds a TCP port (bound, not listening) while no server has it.

    A stopped server's port is otherwise free for the kernel to hand out as the local port of any
    outgoing connection (the drills make thousands), and PostgreSQL then cannot start again:
    «could not bind IPv4 address: Address already in use». A port bound by a socket is never
    handed out; connecting to it is refused, as to a stopped server.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self._socket: socket.socket | None = None

    def hold(self, timeout: float = 75) -> None:
        """Bind the port, waiting out a connection of someone else's that still uses it (a
        closed one stays in TIME_WAIT for 60 s)."""
        deadline = time.monotonic() + timeout
        while self._socket is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((HOST, self.port))
            except OSError as exc:
                sock.close()
                if time.monotonic() > deadline:
                    raise HarnessError(f"port {self.port} stays in use: {exc}") from exc
                time.sleep(1)
            else:
                self._socket = sock

    def release(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class ThrowawayCluster:
    """A PostgreSQL cluster of its own in a temporary folder, on DRILL_PG_PORT, that a drill may
    stop and start at will. initdb and the server run as the `postgres` user (PostgreSQL refuses
    to run as root). While the server is stopped, the port stays reserved for it."""

    def __init__(self, reservation: PortReservation | None = None) -> None:
        self.reservation = reservation or PortReservation(DRILL_PG_PORT)
        self.port = self.reservation.port
        self.pg = Postgres(port=self.port)
        self.folder = Path(tempfile.mkdtemp(prefix="drivkraft-drill-pg-"))
        self.data = self.folder / "data"
        self.user = "postgres" if os.geteuid() == 0 else None

    def __enter__(self) -> ThrowawayCluster:
        try:
            self.reservation.hold()
            if self.user is not None:
                shutil.chown(self.folder, user=self.user)
            run(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                user=self.user,
            )
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(HarnessError):
            if (self.data / "postmaster.pid").exists():
                self.stop()
        self.reservation.release()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _ctl(self, *args: str) -> None:
        try:
            run([pg_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "30", *args], user=self.user)
        except HarnessError as exc:
            log = self.folder / "server.log"
            raise HarnessError(
                f"{exc}\n{tail(log.read_text(errors='replace')) if log.exists() else ''}"
            ) from None

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self.reservation.release()
        try:
            self._ctl("-o", options, "-l", str(self.folder / "server.log"), "start")
        except HarnessError:
            self.reservation.hold(timeout=5)
            raise

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")
        self.reservation.hold()


# --- a client that records every request ------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    started: float
    ended: float
    status: int | None  # None: no answer at all
    error: str = ""


class RecordingLoad:
    """`threads` clients, each sending GETs over a new connection per request (as many
    clients do), one after the other, round-robin over `paths`, until stopped. A `{n}` in a path
    becomes a number unique to the request (a search no cache has seen)."""

    def __init__(self, port: int, paths: Sequence[str], threads: int = 6) -> None:
        self.port = port
        self.paths = list(paths)
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(threads)
        ]

    def __enter__(self) -> RecordingLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _client(self, offset: int) -> None:
        for number, template in enumerate(
            itertools.islice(itertools.cycle(self.paths), offset, None)
        ):
            if self._stop.is_set():
                return
            path = template.replace("{n}", f"{offset}x{number}")
            started = time.monotonic()
            conn = http.client.HTTPConnection(HOST, self.port, timeout=15)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                record = Request(path, started, time.monotonic(), response.status)
            except (OSError, http.client.HTTPException) as exc:
                record = Request(path, started, time.monotonic(), None, type(exc).__name__)
            finally:
                conn.close()
            with self._lock:
                self.requests.append(record)

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self.requests)
