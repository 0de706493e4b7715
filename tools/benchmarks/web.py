"""Throughput and latency of the public pages under gunicorn, with production settings.

Run with `make bench` or `.venv/bin/python -m tools.benchmarks.web` (wrk must be installed).

It creates a fresh PostgreSQL database, loads the demo programme plus synthetic measures, collects
the static files, starts gunicorn on a free loopback port, warms every URL up and measures it with
wrk, then prints requests per second, p50/p99 latency and the throughput as a ratio to `/healthz`
measured in the same run: every page is measured between two /healthz runs and compared with
their mean, over several rounds, so that other work on the machine affects both sides alike.
The aim is a ratio of at least 0.5 for every page. This is a benchmark, not a test: the exit code
is non-zero only when the run itself fails (a setup step fails, a page does not answer 200, or wrk
sees errors), never because the aim is missed. Gunicorn is always stopped and the database always
dropped at the end, also on Ctrl+C.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
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
    get,
    log_problems,
    manage,
    production_env,
    raise_keyboard_interrupt,
    stop_and_drop,
    tail,
    tail_file,
)

PG = Postgres()
DB_NAME = "drivkraft_bench"
SYNTHETIC_MEASURES = 200
AIM = 0.5  # every page at least half the throughput of /healthz

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


BASELINE = Target("/healthz", "/healthz")
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
LABEL_WIDTH = max(len(target.label) for target in TARGETS)


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


def bench_environment() -> dict[str, str]:
    """Production settings. Other variables pass through (PUBLIC_PAGE_CACHE_SECONDS=0, say, to
    measure without the page cache, or LOG_LEVEL); the effective settings are read back and
    printed."""
    return production_env(PG.url(DB_NAME), log_level=None)


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
    )


def describe(server: Gunicorn) -> str:
    return f"{server.workers_description}, bound to {HOST}:{server.port}"


def check_target(server: Gunicorn, target: Target) -> None:
    """The URL must answer 200 (not a redirect or an error), and htmx must get a fragment."""
    status, body = get(server.port, target.path, headers=dict(target.headers))
    if status != 200:
        raise BenchmarkError(f"{target.path} answered HTTP {status}, not 200: {body[:300]!r}")
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
    wrk: str, server: Gunicorn, target: Target, settings: WrkSettings, duration: int
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
    for name, value in target.headers:
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


def print_table(summaries: Sequence[Summary]) -> list[Target]:
    """Print the result table; return the pages that miss the aim."""
    header = ("URL", "req/s", "p50 ms", "p99 ms", "ratio to /healthz", f"aim (>= {AIM})")
    rows: list[tuple[str, ...]] = []
    missed: list[Target] = []
    for summary in summaries:
        if summary.target is BASELINE:
            verdict = "baseline"
        elif summary.ratio >= AIM:
            verdict = "met"
        else:
            verdict = "MISSED"
            missed.append(summary.target)
        rows.append(
            (
                summary.target.label,
                f"{summary.requests_per_second:.1f}",
                f"{summary.p50_ms:.2f}",
                f"{summary.p99_ms:.2f}",
                f"{summary.ratio:.3f}",
                verdict,
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


def measure(wrk: str, server: Gunicorn, settings: WrkSettings, rounds: int) -> list[Summary]:
    """Measure every page between two /healthz runs, `rounds` times over.

    Each page's ratio compares it with the mean of the /healthz runs just before and just after
    it, so a change in what else the machine is doing affects both sides of the ratio alike.
    Every run is printed as it completes.
    """
    runs: dict[Target, list[WrkResult]] = {target: [] for target in TARGETS}
    ratios: dict[Target, list[float]] = {target: [] for target in TARGETS}

    def run(number: int, target: Target) -> WrkResult:
        if number == 1 and not runs[target]:
            check_target(server, target)
            if settings.warmup:
                run_wrk(wrk, server, target, settings, settings.warmup)
        result = parse_wrk(run_wrk(wrk, server, target, settings, settings.duration))
        if server.has_exited():
            raise BenchmarkError(f"gunicorn died:\n{tail_file(server.log)}")
        runs[target].append(result)
        print(
            f"  round {number}/{rounds}  {target.label:<{LABEL_WIDTH}}  "
            f"{result.requests_per_second:8.1f} req/s  p50 {result.p50_ms:7.2f} ms  "
            f"p99 {result.p99_ms:7.2f} ms",
            flush=True,
        )
        return result

    for number in range(1, rounds + 1):
        before = run(number, BASELINE)
        for target in PAGES:
            page = run(number, target)
            after = run(number, BASELINE)
            around = (before.requests_per_second + after.requests_per_second) / 2
            ratios[target].append(page.requests_per_second / around)
            before = after
    ratios[BASELINE] = [1.0]
    return [
        Summary(target=target, runs=tuple(runs[target]), ratios=tuple(ratios[target]))
        for target in TARGETS
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run [5]")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all URLs [3]")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per URL [3]")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections [16]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--timeout", type=int, default=5, help="wrk request timeout, s [5]")
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
    env = bench_environment()
    server: Gunicorn | None = None
    status = 0
    with tempfile.TemporaryDirectory(prefix="drivkraft-bench-") as tmp:
        try:
            print(f"Creating the database {DB_NAME} …", flush=True)
            PG.recreate(DB_NAME)
            manage(env, "migrate", "--no-input", "-v", "0")
            print(tail(manage(env, "load_demo", "--measures", str(SYNTHETIC_MEASURES))))
            manage(env, "collectstatic", "--noinput", "-v", "0")
            conf = effective_settings(env)
            db = database_facts()

            log = Path(tmp) / "gunicorn.log"
            server = bench_server(env, log, args.workers, args.worker_class, args.worker_threads)
            server.start().wait_until_healthy()
            print(f"gunicorn: {describe(server)}", flush=True)

            load_before = load_average()
            print(
                f"Measuring: /healthz, then each page followed by /healthz again; "
                f"{args.rounds} round(s)."
            )
            summaries = measure(wrk, server, settings, args.rounds)
            load_after = load_average()

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
                        f"PUBLIC_PAGE_CACHE_SECONDS={conf['PUBLIC_PAGE_CACHE_SECONDS']}, "
                        f"CONN_MAX_AGE={conf['CONN_MAX_AGE']}, "
                        f"cache {conf['CACHE'].rsplit('.', 1)[-1]}, "
                        f"static {conf['STATICFILES'].rsplit('.', 1)[-1]}"
                    ),
                    "gunicorn": (f"{importlib.metadata.version('gunicorn')}, {describe(server)}"),
                    "load generator": f"{wrk_version(wrk)}",
                    "each run": (
                        f"{settings.describe()}, {args.rounds} round(s), every page between two "
                        "/healthz runs"
                    ),
                    "requests": ", ".join(
                        f"{summary.target.path} {summary.requests}" for summary in summaries
                    ),
                    "machine load": (
                        f"before {describe_load(load_before)}; after {describe_load(load_after)}"
                    ),
                }
            )
            cores = os.cpu_count() or 1
            if max(load_before[0], load_after[0]) > cores:
                print(
                    f"  Note: the machine was busy with other work (load average above {cores}) "
                    "while measuring;\n  absolute numbers are lower and noisier than on a quiet "
                    "machine, the ratios less so."
                )
            print()
            print(
                "Medians over all runs above; a page's ratio is the median over the rounds of "
                "its req/s divided by the mean of the /healthz runs just before and after it."
            )
            print()
            missed = print_table(summaries)
            print()
            if missed:
                print(f"Aim missed (ratio < {AIM}) by: {', '.join(t.label for t in missed)}")
            else:
                print(f"Aim met: every page has at least {AIM} x the throughput of /healthz.")
            if problems := log_problems(server.log):
                print("\ngunicorn logged problems:\n" + "\n".join(problems[:20]))
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
