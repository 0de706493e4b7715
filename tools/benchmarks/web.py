"""Throughput and latency of the public pages under gunicorn, with production settings, with the
page cache on (as served) and off (every page made afresh, as after any change to the content).

Run with `make bench` or `.venv/bin/python -m tools.benchmarks.web` (wrk must be installed).

It creates a fresh PostgreSQL database, loads the demo programme plus synthetic measures, renders
the current-status report, makes a steering-group login for the run, collects the static files,
and then, once with the page cache on and once with it off (`PUBLIC_PAGE_CACHE_SECONDS=0`), starts
gunicorn on a free loopback port, warms every URL up and measures it with wrk. Every request says
it came through the TLS proxy (`X-Forwarded-Proto: https`), as in production, where the portal
redirects plain HTTP. It prints requests per second, p99 latency and the throughput as a ratio to
`/healthz` measured in the same run, with the machine's load average beside each: every page is
measured between two /healthz runs and compared with their mean, over several rounds, so that
other work on the machine affects both sides alike. The logged-in download of
`/rapporter/gjeldende.pdf` (the session of a real login) is measured with the cache on.

Aims (issue 15): every page at least 0.9 x /healthz cached and 0.3 x cold, the download 0.5 x.
This is a benchmark, not a test: the exit code is non-zero only when the run itself fails (a
setup step fails, a page does not answer 200, or wrk sees errors), never because an aim is
missed. Gunicorn is always stopped and the database always dropped at the end, also on Ctrl+C.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tools.serving import (
    HOST,
    Gunicorn,
    HarnessError,
    Postgres,
    free_port,
    get_response,
    log_problems,
    manage,
    production_env,
    raise_keyboard_interrupt,
    stop_and_drop,
    tail,
    tail_file,
)

PG = Postgres()
# Another name (BENCH_DATABASE) lets two people measure on one PostgreSQL at the same time.
DB_NAME = os.environ.get("BENCH_DATABASE", "drivkraft_bench")
SYNTHETIC_MEASURES = 200
# The aims of issue 15, as ratios to /healthz in the same run.
CACHED_AIM = 0.9
COLD_AIM = 0.3
DOWNLOAD_AIM = 0.5
# The portal sits behind a TLS proxy; without this header every request is a redirect to https.
PROXY_HEADERS = (("X-Forwarded-Proto", "https"),)
BENCH_USER = "ytelsestest-styret"
WRK_ATTEMPTS = 3

# Gunicorn: gthread, 2 processes x 8 threads, chosen by measuring sync 2/3/4 and gthread 2x1,
# 2x2, 2x4, 2x8, 3x4 and 4x4 on the 2-core machine this is written for (where the same 2 cores also
# run wrk and PostgreSQL). Sync workers answer with "Connection: close", so every request pays a
# new TCP connection on both sides: about twice the CPU per request of gthread, which keeps
# connections alive, and the lowest throughput. One process per core uses both cores despite the
# GIL; more processes than cores only add switching. Threads overlap the waits on PostgreSQL and
# the socket, and 2 x 8 threads serve wrk's 16 connections at once instead of queueing them; 2x8
# had the most /-throughput and the least CPU per request of the gthread variants. A process's
# threads also share its page cache (LocMemCache), so fewer caches are cold than with more
# processes. Compare for yourself with --workers/--worker-class/--worker-threads.
DEFAULT_WORKERS = 2
DEFAULT_WORKER_CLASS = "gthread"
DEFAULT_WORKER_THREADS = 8


class BenchmarkError(HarnessError):
    """The run itself failed (as opposed to a page missing the aim)."""


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    fragment: bool = False  # the answer must be an htmx fragment, not a whole page
    logged_in: bool = False  # sent with the bench user's session
    content_type: str = "text/html"


BASELINE = Target("/healthz", "/healthz", content_type="text/plain")
TARGETS: tuple[Target, ...] = (
    BASELINE,
    Target("/", "/"),
    Target("/tiltak/", "/tiltak/"),
    Target(
        "/tiltak/?omrade=kompetanse&status=gjennomfort (htmx)",
        "/tiltak/?omrade=kompetanse&status=gjennomfort",
        headers=(("HX-Request", "true"),),
        fragment=True,
    ),
    Target("/tiltak/skaperkraft-konferansen/", "/tiltak/skaperkraft-konferansen/"),
    Target("/kommuner/harstad/", "/kommuner/harstad/"),
)
PAGES = TARGETS[1:]
DOWNLOAD = Target(
    "/rapporter/gjeldende.pdf (logged in)",
    "/rapporter/gjeldende.pdf",
    logged_in=True,
    content_type="application/pdf",
)
LABEL_WIDTH = max(len(target.label) for target in (*TARGETS, DOWNLOAD))


@dataclass(frozen=True)
class Mode:
    """One gunicorn of the run: its name in the table and the environment it adds."""

    name: str
    env: tuple[tuple[str, str], ...]


CACHED = Mode("cached", ())
COLD = Mode("cold", (("PUBLIC_PAGE_CACHE_SECONDS", "0"),))


@dataclass(frozen=True)
class WrkSettings:
    threads: int
    connections: int
    duration: int  # seconds
    warmup: int  # seconds
    timeout: int  # seconds; a slower answer counts as a socket error (timeout)

    def describe(self) -> str:
        return (
            f"wrk -t{self.threads} -c{self.connections} -d{self.duration}s "
            f"--timeout {self.timeout}s --latency (after a {self.warmup}s warm-up run per URL)"
        )


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    load: float = 0.0  # the machine's 1-minute load average when the run ended


# --- the database ---------------------------------------------------------------------------


def database_facts() -> dict[str, str]:
    with psycopg.connect(PG.dsn(DB_NAME), connect_timeout=10) as conn:
        version_row = conn.execute("SHOW server_version").fetchone()
        measure_row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_published AND archived_at IS NULL) "
            "FROM measures_measure"
        ).fetchone()
        update_row = conn.execute("SELECT count(*) FROM measures_statusupdate").fetchone()
    if version_row is None or measure_row is None or update_row is None:
        raise BenchmarkError("could not read the database facts")
    return {
        "postgresql": str(version_row[0]),
        "measures": str(measure_row[0]),
        "public_measures": str(measure_row[1]),
        "status_updates": str(update_row[0]),
    }


# --- Django ---------------------------------------------------------------------------------


def bench_environment(media_root: str) -> dict[str, str]:
    """Production settings, with the redirect to https on as in production (every request comes
    through the proxy); reports rendered by the run go to `media_root`. Other variables pass
    through (LOG_LEVEL, say); the effective settings are read back and printed."""
    return production_env(
        PG.url(DB_NAME), log_level=None, SECURE_SSL_REDIRECT="1", MEDIA_ROOT=media_root
    )


# A steering-group login for this run (the password comes on stdin), and the current-status
# report rendered as the scheduled job does, so that the download serves a stored file.
SETUP_USER = """
import sys
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from teams.roles import STEERING_GROUP

user, _ = get_user_model().objects.get_or_create(username="{user}")
user.set_password(sys.stdin.readline().strip())
user.first_name, user.last_name = "Ytelse", "Test"
user.save()
user.groups.add(Group.objects.get(name=STEERING_GROUP))
"""


def create_bench_user(env: dict[str, str], password: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            SETUP_USER.format(user=BENCH_USER),
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"creating the bench login failed:\n{tail(done.stderr)}")


def log_in(port: int, username: str, password: str) -> str:
    """Log in at /logg-inn/ as a browser does (the form's CSRF token, through the proxy) and
    return the Cookie header of the session."""
    proxy = dict(PROXY_HEADERS)

    def request(
        method: str, path: str, headers: dict[str, str], body: str | None = None
    ) -> tuple[int, dict[str, str], bytes, dict[str, str]]:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=proxy | headers)
            response = conn.getresponse()
            cookies = {}
            for line in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = line.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            head = {name.lower(): value for name, value in response.getheaders()}
            return response.status, head, response.read(), cookies
        finally:
            conn.close()

    status, _head, body, cookies = request("GET", "/logg-inn/", {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or not cookies:
        raise BenchmarkError(f"/logg-inn/ answered HTTP {status} without a login form")
    origin = f"https://{HOST}:{port}"
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    status, head, _body, new_cookies = request(
        "POST",
        "/logg-inn/",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": origin,
            "Referer": f"{origin}/logg-inn/",
            "Host": f"{HOST}:{port}",
        },
        form,
    )
    session = {k: v for k, v in (cookies | new_cookies).items() if "session" in k}
    if status != 302 or not session:
        raise BenchmarkError(f"logging in as {username} failed: HTTP {status} {head}")
    return "; ".join(f"{k}={v}" for k, v in (cookies | new_cookies).items())


def effective_settings(env: dict[str, str]) -> dict[str, str]:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'DEBUG': s.DEBUG, 'PUBLIC_PAGE_CACHE_SECONDS': s.PUBLIC_PAGE_CACHE_SECONDS, "
        "'CONN_MAX_AGE': s.DATABASES['default']['CONN_MAX_AGE'], "
        "'ENGINE': s.DATABASES['default']['ENGINE'], "
        "'CACHE': s.CACHES['default']['BACKEND'], "
        "'STATICFILES': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    output = manage(env, "shell", "--no-imports", "-c", code)
    last_line = output.strip().splitlines()[-1]
    return {key: str(value) for key, value in json.loads(last_line).items()}


# --- gunicorn -------------------------------------------------------------------------------


def bench_server(
    env: dict[str, str], log: Path, workers: int, worker_class: str, threads: int
) -> Gunicorn:
    """gunicorn as compared with --workers/--worker-class/--worker-threads, on a port the system
    picks, with gunicorn's own default worker timeout (30 s)."""
    return Gunicorn(
        env=env,
        log=log,
        workers=workers,
        threads=threads,
        worker_class=worker_class,
        timeout=30,
        port=free_port(ports=(0,)),
        probe_headers=dict(PROXY_HEADERS),
    )


def describe(server: Gunicorn) -> str:
    return f"{server.workers_description}, bound to {HOST}:{server.port}"


def request_headers(target: Target, cookie: str) -> dict[str, str]:
    headers = dict(PROXY_HEADERS) | dict(target.headers)
    if target.logged_in:
        headers["Cookie"] = cookie
    return headers


def check_target(server: Gunicorn, target: Target, cookie: str) -> None:
    """The URL must answer 200 (not a redirect or an error) with what it serves, and htmx must
    get a fragment."""
    try:
        status, head, body = get_response(
            server.port, target.path, headers=request_headers(target, cookie), timeout=60
        )
    except OSError as exc:
        raise BenchmarkError(f"{target.path} did not answer within 60 s: {exc}") from exc
    if status != 200:
        raise BenchmarkError(f"{target.path} answered HTTP {status}, not 200: {body[:300]!r}")
    if not head.get("content-type", "").startswith(target.content_type):
        raise BenchmarkError(f"{target.path} answered {head.get('content-type')}")
    if target.fragment and b"<html" in body.lower():
        raise BenchmarkError(f"{target.path} with htmx headers answered a whole page")


# --- wrk ------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX_3XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def run_wrk(
    wrk: str, server: Gunicorn, target: Target, settings: WrkSettings, duration: int, cookie: str
) -> str:
    command = [
        wrk,
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{duration}s",
        "--timeout",
        f"{settings.timeout}s",
        "--latency",
    ]
    for name, value in request_headers(target, cookie).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{server.port}{target.path}")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"wrk did not finish within {duration + 60}s") from exc
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed (exit {done.returncode}): {done.stderr or done.stdout}")
    check_wrk_errors(done.stdout, target)
    return done.stdout


def check_wrk_errors(output: str, target: Target) -> None:
    problems = []
    if match := _SOCKET_ERRORS.search(output):
        connect, read, write, timeout = (int(group) for group in match.groups())
        problems.append(
            f"socket errors: connect {connect}, read {read}, write {write}, timeout {timeout}"
        )
    if match := _NON_2XX_3XX.search(output):
        problems.append(f"{match.group(1)} responses that were not 2xx or 3xx")
    if problems:
        raise BenchmarkError(f"wrk on {target.path}: {'; '.join(problems)}\n{output}")


def parse_wrk(output: str) -> WrkResult:
    rps = _REQUESTS_PER_SECOND.search(output)
    requests = _REQUESTS.search(output)
    percentiles = {
        match.group(1): float(match.group(2)) * _UNIT_MS[match.group(3)]
        for match in _PERCENTILE.finditer(output)
    }
    if rps is None or requests is None or set(percentiles) != {"50", "99"}:
        raise BenchmarkError(f"could not read wrk's output:\n{output}")
    if int(requests.group(1)) == 0:
        raise BenchmarkError(f"wrk completed no requests:\n{output}")
    return WrkResult(
        requests=int(requests.group(1)),
        requests_per_second=float(rps.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
    )


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    first_line = (done.stdout or done.stderr).strip().splitlines()
    return first_line[0] if first_line else "unknown"


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One URL: the medians of its wrk runs, and of its ratios to the /healthz runs around it."""

    target: Target
    runs: tuple[WrkResult, ...]
    ratios: tuple[float, ...]

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def load(self) -> float:
        return statistics.median(run.load for run in self.runs)

    @property
    def requests(self) -> int:
        return sum(run.requests for run in self.runs)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return [line(header), rule, *(line(row) for row in rows)]


def print_table(
    cached: Sequence[Summary], cold: Sequence[Summary], download: Summary | None
) -> list[str]:
    """Print the result table (cached and cold side by side, each with its ratio to /healthz and
    the load average while it was measured); return what misses its aim."""
    header = (
        "URL",
        "cached req/s",
        "p99 ms",
        "ratio",
        "load",
        "cold req/s",
        "p99 ms",
        "ratio",
        "load",
        f"aims (cached >= {CACHED_AIM}, cold >= {COLD_AIM})",
    )
    rows: list[tuple[str, ...]] = []
    missed: list[str] = []
    cold_by_target = {summary.target: summary for summary in cold}

    def cells(summary: Summary | None) -> tuple[str, str, str, str]:
        if summary is None:
            return ("", "", "", "")
        return (
            f"{summary.requests_per_second:.1f}",
            f"{summary.p99_ms:.1f}",
            f"{summary.ratio:.2f}",
            f"{summary.load:.1f}",
        )

    for summary in cached:
        other = cold_by_target.get(summary.target)
        if summary.target is BASELINE:
            verdict = "baseline"
        else:
            problems = []
            if summary.ratio < CACHED_AIM:
                problems.append("cached")
            if other is not None and other.ratio < COLD_AIM:
                problems.append("cold")
            verdict = "met" if not problems else "MISSED: " + ", ".join(problems)
            missed += [f"{summary.target.label} ({kind})" for kind in problems]
        rows.append((summary.target.label, *cells(summary), *cells(other), verdict))
    if download is not None:
        verdict = "met" if download.ratio >= DOWNLOAD_AIM else "MISSED"
        if download.ratio < DOWNLOAD_AIM:
            missed.append(download.target.label)
        rows.append(
            (
                download.target.label,
                *cells(download),
                "",
                "",
                "",
                "",
                f"{verdict} (>= {DOWNLOAD_AIM})",
            )
        )
    print("\n".join(markdown_table(header, rows)))
    return missed


def print_facts(facts: dict[str, str]) -> None:
    width = max(len(key) for key in facts)
    for key, value in facts.items():
        print(f"  {key.ljust(width)}  {value}")


def load_average() -> tuple[float, float]:
    one, five, _fifteen = os.getloadavg()
    return one, five


def describe_load(load: tuple[float, float]) -> str:
    return f"{load[0]:.2f} (1 min), {load[1]:.2f} (5 min)"


# --- the run --------------------------------------------------------------------------------


def measure(
    wrk: str,
    server: Gunicorn,
    settings: WrkSettings,
    rounds: int,
    *,
    pages: Sequence[Target],
    cookie: str = "",
    mode: str = "",
) -> list[Summary]:
    """Measure every page between two /healthz runs, `rounds` times over.

    Each page's ratio compares it with the mean of the /healthz runs just before and just after
    it, so a change in what else the machine is doing affects both sides of the ratio alike.
    Every run is printed as it completes, with the load average.
    """
    targets = (BASELINE, *pages)
    runs: dict[Target, list[WrkResult]] = {target: [] for target in targets}
    ratios: dict[Target, list[float]] = {target: [] for target in targets}

    def run(number: int, target: Target) -> WrkResult:
        if number == 1 and not runs[target]:
            check_target(server, target, cookie)
            if settings.warmup:
                run_wrk(wrk, server, target, settings, settings.warmup, cookie)
        for _attempt in range(WRK_ATTEMPTS):
            output = run_wrk(wrk, server, target, settings, settings.duration, cookie)
            completed = _REQUESTS.search(output)
            if completed is None or int(completed.group(1)) > 0:
                break
            # On a machine busy with other work a run may complete nothing: try it again.
            print(f"  {target.label}: no request completed in {settings.duration}s; again")
        result = parse_wrk(output)
        result = WrkResult(
            result.requests,
            result.requests_per_second,
            result.p50_ms,
            result.p99_ms,
            load=load_average()[0],
        )
        if server.has_exited():
            raise BenchmarkError(f"gunicorn died:\n{tail_file(server.log)}")
        runs[target].append(result)
        print(
            f"  {mode:<6} round {number}/{rounds}  {target.label:<{LABEL_WIDTH}}  "
            f"{result.requests_per_second:8.1f} req/s  p50 {result.p50_ms:7.2f} ms  "
            f"p99 {result.p99_ms:7.2f} ms  load {result.load:.2f}",
            flush=True,
        )
        return result

    for number in range(1, rounds + 1):
        before = run(number, BASELINE)
        for target in pages:
            page = run(number, target)
            after = run(number, BASELINE)
            around = (before.requests_per_second + after.requests_per_second) / 2
            ratios[target].append(page.requests_per_second / around)
            before = after
    ratios[BASELINE] = [1.0]
    return [
        Summary(target=target, runs=tuple(runs[target]), ratios=tuple(ratios[target]))
        for target in targets
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run [5]")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all URLs [3]")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per URL [3]")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections [16]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--timeout", type=int, default=15, help="wrk request timeout, s [15]")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--worker-class", default=DEFAULT_WORKER_CLASS, choices=("sync", "gthread"))
    parser.add_argument("--worker-threads", type=int, default=DEFAULT_WORKER_THREADS)
    args = parser.parse_args(argv)
    for name in ("duration", "rounds", "warmup", "connections", "threads", "timeout", "workers"):
        if getattr(args, name) < (0 if name == "warmup" else 1):
            parser.error(f"--{name} is too small")
    if args.duration > 300 or args.rounds > 10 or args.warmup > 60:
        parser.error("keep --duration <= 300 s, --rounds <= 10 and --warmup <= 60 s")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (`apt-get install -y wrk`, or `make bench`).", file=sys.stderr)
        return 2
    settings = WrkSettings(
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        timeout=args.timeout,
    )
    # SIGTERM takes the same way out as Ctrl+C, through the `finally` below.
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    server: Gunicorn | None = None
    status = 0
    with tempfile.TemporaryDirectory(prefix="drivkraft-bench-") as tmp:
        env = bench_environment(media_root=str(Path(tmp) / "media"))
        try:
            print(f"Creating the database {DB_NAME} …", flush=True)
            PG.recreate(DB_NAME)
            manage(env, "migrate", "--no-input", "-v", "0")
            print(tail(manage(env, "load_demo", "--measures", str(SYNTHETIC_MEASURES))))
            manage(env, "collectstatic", "--noinput", "-v", "0")
            print(tail(manage(env, "render_current_report"), 2))
            password = secrets.token_urlsafe(16)
            create_bench_user(env, password)
            conf = effective_settings(env)
            db = database_facts()

            results: dict[str, list[Summary]] = {}
            download: Summary | None = None
            loads: list[str] = []
            described = ""
            for mode in (CACHED, COLD):
                log = Path(tmp) / f"gunicorn-{mode.name}.log"
                server = bench_server(
                    env | dict(mode.env), log, args.workers, args.worker_class, args.worker_threads
                )
                server.start().wait_until_healthy()
                described = describe(server)
                print(f"gunicorn ({mode.name}): {described}", flush=True)
                load_before = load_average()
                print(
                    f"Measuring {mode.name}: /healthz, then each page followed by /healthz "
                    f"again; {args.rounds} round(s)."
                )
                pages: tuple[Target, ...] = PAGES
                cookie = ""
                if mode is CACHED:
                    cookie = log_in(server.port, BENCH_USER, password)
                    pages = (*PAGES, DOWNLOAD)
                summaries = measure(
                    wrk,
                    server,
                    settings,
                    args.rounds,
                    pages=pages,
                    cookie=cookie,
                    mode=mode.name,
                )
                load_after = load_average()
                loads.append(
                    f"{mode.name}: before {describe_load(load_before)}; "
                    f"after {describe_load(load_after)}"
                )
                if mode is CACHED:
                    download = next(s for s in summaries if s.target is DOWNLOAD)
                    summaries = [s for s in summaries if s.target is not DOWNLOAD]
                results[mode.name] = summaries
                if problems := log_problems(server.log):
                    print(f"\ngunicorn ({mode.name}) logged problems:\n" + "\n".join(problems[:20]))
                server.stop()
                server = None

            print()
            print("What was measured:")
            print_facts(
                {
                    "machine": f"{os.cpu_count()} CPU cores, {platform.platform()}",
                    "python": f"{platform.python_implementation()} {platform.python_version()}",
                    "django": importlib.metadata.version("django"),
                    "postgresql": db["postgresql"],
                    "database": (
                        f"{DB_NAME}: {db['measures']} measures ({db['public_measures']} "
                        f"published), {db['status_updates']} status updates "
                        f"(demo + {SYNTHETIC_MEASURES} synthetic)"
                    ),
                    "settings": (
                        f"DEBUG={conf['DEBUG']}, "
                        f"PUBLIC_PAGE_CACHE_SECONDS={conf['PUBLIC_PAGE_CACHE_SECONDS']} "
                        "(cached; 0 for cold), "
                        f"CONN_MAX_AGE={conf['CONN_MAX_AGE']}, "
                        f"cache {conf['CACHE'].rsplit('.', 1)[-1]}, "
                        f"static {conf['STATICFILES'].rsplit('.', 1)[-1]}, "
                        "SECURE_SSL_REDIRECT=1, every request with X-Forwarded-Proto: https"
                    ),
                    "gunicorn": f"{importlib.metadata.version('gunicorn')}, {described}",
                    "load generator": f"{wrk_version(wrk)}",
                    "each run": (
                        f"{settings.describe()}, {args.rounds} round(s), every page between two "
                        "/healthz runs"
                    ),
                    "machine load": "; ".join(loads),
                }
            )
            cores = os.cpu_count() or 1
            all_runs = [r for mode in results.values() for s in mode for r in s.runs]
            if max(run.load for run in all_runs) > cores:
                print(
                    f"  Note: the machine was busy with other work (load average above {cores}) "
                    "while measuring;\n  absolute numbers are lower and noisier than on a quiet "
                    "machine, the ratios less so."
                )
            print()
            print(
                "Medians over all runs above; a page's ratio is the median over the rounds of "
                "its req/s divided by the mean of the /healthz runs just before and after it "
                "(on the same gunicorn); load is the 1-minute load average after its runs."
            )
            print()
            missed = print_table(results["cached"], results["cold"], download)
            print()
            if missed:
                print(f"Aims missed by: {', '.join(missed)}")
            else:
                print("Aims met: every page cached and cold, and the download.")
        except HarnessError as exc:
            print(f"\nThe benchmark run failed: {exc}", file=sys.stderr)
            status = 1
        except KeyboardInterrupt:
            print("\nInterrupted.", file=sys.stderr)
            status = 130
        finally:
            if not stop_and_drop(server, PG, DB_NAME):
                status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
