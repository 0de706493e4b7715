"""Two real app servers, one database, one Redis: a change saved through one server is what the
other serves next, although it had the page in the shared cache.

Both servers are gunicorn with the committed gunicorn.conf.py and production settings (DEBUG off),
on loopback ports. The test uses a PostgreSQL database of its own (`drivkraft_twoservers`, made
afresh and dropped afterwards) whatever database the rest of the suite runs on, and Redis
database 3 (emptied first). With CI=true it fails when PostgreSQL or Redis cannot be reached;
elsewhere it is skipped then. Run it alone with `pytest -m servers`.

TEST_PORT_RANGE (e.g. `8101-8119`) limits the ports it may use; without it the system picks.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg
import pytest
import redis

from tools.serving import BIN, HOST, ROOT, Gunicorn, Postgres, manage

PG = Postgres()
DB_NAME = "drivkraft_twoservers"
DATABASE_URL = PG.url(DB_NAME)
REDIS_URL = f"redis://{HOST}:6379/3"
USERNAME = "driftstest"
PASSWORD = secrets.token_urlsafe(16)

pytestmark = pytest.mark.servers

# Settings the test sets itself; anything else in the environment passes through.
OWN_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "CSRF_TRUSTED_ORIGINS",
    "PUBLIC_PAGE_CACHE_SECONDS",
}


def unreachable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run the two-server test)")
    pytest.skip(reason)


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on, from TEST_PORT_RANGE when it is set."""
    span = os.environ.get("TEST_PORT_RANGE", "")
    candidates = range(int(span.split("-")[0]), int(span.split("-")[1]) + 1) if span else [0] * 50
    ports: list[int] = []
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, candidate))
            except OSError:
                continue
            port = int(sock.getsockname()[1])
        if port not in ports:
            ports.append(port)
        if len(ports) == count:
            return ports
    pytest.fail(f"not {count} free ports in {span or 'the system range'}")


class Server(Gunicorn):
    """gunicorn as deployed: the committed gunicorn.conf.py, told its address, workers and
    threads through the environment."""

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"]

    def environment(self) -> dict[str, str]:
        return {
            **self.env,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
        }


@dataclass
class Browser:
    """Just enough of a browser for Django's admin: cookies (also the Secure `__Host-` ones, which
    a real browser would only send over HTTPS; the proxy's TLS is not part of this test)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.getheaders()), text
        finally:
            conn.close()

    def get(self, path: str) -> str:
        status, _headers, text = self.request("GET", path)
        assert status == 200, (path, status, text[:500])
        return text


def form_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)" name="{name}"', page
    )
    assert found, f"no {name} in the form"
    return unescape(found.group(1))


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    try:
        with psycopg.connect(PG.dsn(), connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        unreachable(f"PostgreSQL at {HOST}:5432 is not reachable: {error}")
    shared_cache = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        shared_cache.flushdb()
    except redis.RedisError as error:
        unreachable(f"Redis at {REDIS_URL} is not reachable: {error}")

    folder = tmp_path_factory.mktemp("two-servers")
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="drivkraft.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        PYTHONUNBUFFERED="1",
    )
    PG.recreate(DB_NAME)
    started: list[Server] = []
    try:
        # What `make serve` does first, with the static files collected beside the migrations.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        manage(env, "migrate", "--no-input", "-v", "0", timeout=120)
        setup = (
            "from django.core.management import call_command; "
            "from django.contrib.auth import get_user_model; "
            "call_command('load_demo', verbosity=0); "
            f"get_user_model().objects.create_superuser({USERNAME!r}, '', {PASSWORD!r})"
        )
        manage(env, "shell", "--no-imports", "-c", setup, timeout=120)
        _out, errors = collect.communicate(timeout=120)
        assert collect.returncode == 0, errors.decode()

        for name, port in zip(("server-1", "server-2"), free_ports(2), strict=True):
            server = Server(env=env, log=folder / f"{name}.log", workers=1, threads=4, port=port)
            started.append(server.start())
        for server in started:
            server.wait_until_healthy(timeout=30)
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()
        PG.drop(DB_NAME)
        shared_cache.flushdb()


def a_measure_in_progress() -> tuple[int, str, int]:
    with psycopg.connect(PG.dsn(DB_NAME)) as conn:
        row = conn.execute(
            "SELECT id, slug, progress FROM measures_measure "
            "WHERE is_published AND archived_at IS NULL AND status <> 'gjennomfort' "
            "ORDER BY id LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo has no measure in progress"
    return row


def without_stamp(html: str) -> str:
    return re.sub(r'name="stamp" value="[^"]*"', 'name="stamp" value=""', html)


def test_a_status_update_through_one_server_is_served_at_once_by_the_other(
    servers: tuple[Server, Server],
) -> None:
    server_1, server_2 = servers
    pk, slug, progress = a_measure_in_progress()
    page = f"/tiltak/{slug}/"
    comment = f"Stanset av styringsgruppen, sak {secrets.token_hex(4)}"

    # A reader on server 2 (twice: the second answer comes from the shared cache).
    reader = Browser(server_2.port)
    before = reader.get(page)
    # The same page, but for the public input form's time stamp, which is fresh in every answer
    # (drivkraft/core/formstamp.py).
    assert without_stamp(reader.get(page)) == without_stamp(before)
    assert comment not in before
    assert redis.Redis.from_url(REDIS_URL).keys("drivkraft:*"), "nothing was cached in Redis"

    # A project leader on server 1 logs in and updates the status, as in a browser.
    editor = Browser(server_1.port)
    login = editor.get("/admin/login/")
    status, headers, text = editor.request(
        "POST",
        "/admin/login/",
        {
            "username": USERNAME,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form_value(login, "csrfmiddlewaretoken"),
            "next": "/admin/",
        },
    )
    assert status == 302, text[:1000]
    assert "__Host-sessionid" in editor.cookies
    form_page = editor.get(f"/admin/measures/measure/{pk}/status/")
    status, headers, text = editor.request(
        "POST",
        f"/admin/measures/measure/{pk}/status/",
        {
            "csrfmiddlewaretoken": form_value(form_page, "csrfmiddlewaretoken"),
            "status": "stanset",
            "progress": str(progress),
            "date": form_value(form_page, "date"),
            "comment": comment,
            "forecast_end": "",
            "expected_version": form_value(form_page, "expected_version"),
        },
    )
    assert status == 302, text[:2000]
    # Back to the measure's page in the back office, whose timeline starts with this update.
    assert headers["Location"] == f"/admin/measures/measure/{pk}/change/"

    # The same reader, the same server, the same URL: the new status at once.
    after = reader.get(page)
    assert comment in after
    assert "Stanset" in after
    assert comment in editor.get(page)  # and server 1 agrees
