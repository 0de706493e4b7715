"""`make loadtest`: a mixed load against gunicorn with production settings on PostgreSQL.

Creates the database drivkraft_loadtest (demo programme + synthetic measures), creates the
load-test logins (project leaders and a steering-group member, with a password made for this run),
starts gunicorn on loopback and runs locust headless for LOADTEST_SECONDS (60) seconds with the
users of tools/loadtest/locustfile.py: public readers (pages, filters with and without htmx, Atom
feeds, open data), a steering-group member downloading /rapporter/gjeldende.pdf, and project
leaders posting status updates through the admin status form on the same two measures (a version
conflict is reloaded and retried, as a user would, and counted, not failed).

Prints throughput, p50/p99 per kind and overall, and the errors; then checks that every saved
status update is in the database exactly once. Exits non-zero when any request failed, when a save
went missing, or when gunicorn logged an error. Gunicorn is stopped and the database dropped at
the end, also on Ctrl+C.

Settings (environment): LOADTEST_SECONDS [60], LOADTEST_USERS [60, of which LOADTEST_LEADERS
+ 1 are logged in], LOADTEST_LEADERS [4], LOADTEST_MEASURES (synthetic) [50].
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.serving import (
    BIN,
    HOST,
    ROOT,
    Gunicorn,
    HarnessError,
    Postgres,
    log_problems,
    manage,
    prepare_database,
    production_env,
    raise_keyboard_interrupt,
    stop_and_drop,
    tail,
)

DB_NAME = "drivkraft_loadtest"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
COMMENT_PREFIX = "Lasttest: "

# Logins and the plan of the simulated users, read back as JSON. The password comes on stdin.
SETUP = """
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, Q
from measures.models import FocusArea, Measure, StatusUpdate
from teams.roles import PROJECT_LEADER, STEERING_GROUP
from measures.status import Status
from teams.models import Municipality

password = sys.stdin.readline().strip()
leaders = {leaders}
User = get_user_model()

def login(username, group):
    user, _ = User.objects.get_or_create(username=username, defaults={{"is_staff": True}})
    user.set_password(password)
    user.first_name, user.last_name = "Last", username
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return username

public = Measure.objects.filter(is_published=True, archived_at__isnull=True)
# Two real measures that can still change status, both to «on plan» and to «delayed» (their
# expected end is not after the planned end: the consistency rules refuse «on plan» otherwise);
# every leader works on both.
status_measures = list(
    public.exclude(status=Status.COMPLETED)
    .filter(
        Q(forecast_end__isnull=True)
        | Q(planned_end__isnull=True)
        | Q(forecast_end__lte=F("planned_end"))
    )
    .order_by("pk")
    .values_list("pk", flat=True)[:2]
)
print(json.dumps({{
    "leaders": [login(f"lasttest-leder-{{n}}", PROJECT_LEADER) for n in range(1, leaders + 1)],
    "steering_user": login("lasttest-styret", STEERING_GROUP),
    "measures": list(public.order_by("?").values_list("slug", flat=True)[:25]),
    "focus_areas": list(
        FocusArea.objects.filter(programme__is_current=True).values_list("slug", flat=True)
    ),
    "municipalities": list(Municipality.objects.values_list("slug", flat=True)),
    "statuses": [s.value for s in Status],
    "status_measures": status_measures,
    "updates_before": StatusUpdate.objects.count(),
}}))
"""


@dataclass(frozen=True)
class Row:
    kind: str
    requests: int
    failures: int
    rps: float
    p50: float
    p99: float


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        number = int(value) if value else default
    except ValueError:
        raise HarnessError(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise HarnessError(f"{name} must be at least 1")
    return number


def write_plan(env: dict[str, str], path: Path, *, leaders: int, password: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETUP.format(leaders=leaders)],
        cwd=ROOT,
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise HarnessError(f"creating the load-test logins failed:\n{tail(done.stderr)}")
    plan: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if len(plan["status_measures"]) < 2:
        raise HarnessError("the demo has no two measures that can change status")
    plan |= {"password": password, "leader_index": 0}
    path.write_text(json.dumps(plan))
    path.chmod(0o600)
    return plan


def run_locust(
    plan_file: Path, port: int, out: Path, *, seconds: int, users: int, log: Path
) -> int:
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://{HOST}:{port}",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = os.environ | {"LOADTEST_PLAN": str(plan_file)}
    with log.open("wb") as log_file:
        try:
            done = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                timeout=seconds + 120,
            )
        except subprocess.TimeoutExpired as exc:
            raise HarnessError(f"locust did not finish within {seconds + 120}s") from exc
    return done.returncode


def read_stats(path: Path) -> tuple[list[Row], Row]:
    rows, total = [], None
    with path.open(newline="") as stats:
        for record in csv.DictReader(stats):
            row = Row(
                kind=record["Name"] if record["Name"] != "Aggregated" else "all requests",
                requests=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                rps=float(record["Requests/s"]),
                p50=float(record["50%"] or 0),
                p99=float(record["99%"] or 0),
            )
            if record["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    if total is None or total.requests == 0:
        raise HarnessError(f"locust completed no requests ({path})")
    return sorted(rows, key=lambda row: -row.requests), total


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(newline="") as failures:
        return [
            f"{record['Occurrences']} x {record['Method']} {record['Name']}: {record['Error']}"
            for record in csv.DictReader(failures)
        ]


def print_table(rows: list[Row], total: Row) -> None:
    width = max(len(row.kind) for row in [*rows, total])
    header = f"| {'kind'.ljust(width)} | requests | req/s  | p50 ms | p99 ms | errors |"
    rule = "|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|"
    print(header)
    print(rule)
    for row in [*rows, total]:
        print(
            f"| {row.kind.ljust(width)} | {row.requests:8d} | {row.rps:6.1f} | {row.p50:6.0f} "
            f"| {row.p99:6.0f} | {row.failures:6d} |"
        )


def saved_updates(pg: Postgres) -> int:
    count = pg.scalar(
        DB_NAME,
        f"SELECT count(*) FROM measures_statusupdate WHERE comment LIKE '{COMMENT_PREFIX}%'",  # noqa: S608
    )
    assert isinstance(count, int), count  # count(*) is always a number
    return count


def main() -> int:
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    pg = Postgres()
    server: Gunicorn | None = None
    status = 0
    with tempfile.TemporaryDirectory(prefix="drivkraft-loadtest-") as tmp:
        out = Path(tmp)
        try:
            seconds = env_int("LOADTEST_SECONDS", 60)
            leaders = env_int("LOADTEST_LEADERS", 4)
            users = max(env_int("LOADTEST_USERS", 60), leaders + 2)
            synthetic = env_int("LOADTEST_MEASURES", 50)

            print(f"Creating the database {DB_NAME} (demo + {synthetic} synthetic measures) …")
            pg.recreate(DB_NAME)
            env = production_env(pg.url(DB_NAME))
            prepare_database(env, measures=synthetic)
            # The current-status PDF is made by a worker or this command, never by a request;
            # the load runs without a worker, so it is made once beforehand.
            manage(env, "render_current_report", "-v", "0")
            plan = write_plan(
                env, out / "plan.json", leaders=leaders, password=secrets.token_urlsafe(24)
            )
            # Idle connections are kept longer than any simulated user thinks (at most 8 s). With
            # gunicorn's default of 2 s, a client reusing a connection just as gunicorn closes it
            # gets a reset (seen as 2 failed GETs in 60 s); a proxy in front must likewise close
            # idle upstream connections before gunicorn does.
            server = Gunicorn(env=env, log=out / "gunicorn.log", keep_alive=15).start()
            server.wait_until_healthy()
            print(f"Serving: {server.description}, DEBUG=0, PostgreSQL {DB_NAME}")
            print(
                f"Load: locust, {users} users for {seconds}s – {users - leaders - 1} public "
                f"readers, 1 steering-group member (PDF), {leaders} project leaders updating "
                f"measures {', '.join(map(str, plan['status_measures']))} through the admin"
            )
            started = time.monotonic()
            exit_code = run_locust(
                out / "plan.json",
                server.port,
                out,
                seconds=seconds,
                users=users,
                log=out / "locust.log",
            )
            elapsed = time.monotonic() - started
            stats = out / "locust_stats.csv"
            if not stats.exists():
                raise HarnessError(
                    f"locust wrote no statistics:\n{tail((out / 'locust.log').read_text())}"
                )
            rows, total = read_stats(stats)
            print(f"\nResults ({elapsed:.0f}s including ramp-up and stop):\n")
            print_table(rows, total)
            saves = sum(row.requests - row.failures for row in rows if row.kind == "status: save")
            conflicts = sum(row.requests for row in rows if "conflict" in row.kind)
            stored = saved_updates(pg)
            print(
                f"\nThroughput {total.rps:.1f} req/s; p50 {total.p50:.0f} ms, p99 {total.p99:.0f} "
                f"ms; {total.failures} failed request(s)."
            )
            print(
                f"Status updates: {saves} saved, {conflicts} refused as conflicts and retried; "
                f"{stored} in the database ({stored - saves} in flight at the stop)."
            )

            problems = []
            if total.failures:
                problems.append(f"{total.failures} request(s) failed:")
                problems += [f"  {line}" for line in read_failures(out / "locust_failures.csv")]
            elif exit_code != 0:
                problems.append(
                    f"locust exited with {exit_code}:\n{tail((out / 'locust.log').read_text())}"
                )
            # Every answered save is stored; a save still in flight when locust stopped (at most
            # one per leader) may be stored without its answer having been counted.
            if not saves <= stored <= saves + leaders:
                problems.append(f"{saves} saves answered, but {stored} status updates stored")
            if saves == 0:
                problems.append("no status update was saved")
            if logged := log_problems(server.log):
                problems.append("gunicorn logged problems:\n  " + "\n  ".join(logged[:20]))
            if problems:
                print("\nLOAD TEST FAILED\n" + "\n".join(problems), file=sys.stderr)
                status = 1
            else:
                print("\nLoad test passed: no request failed.")
        except HarnessError as exc:
            print(f"\nThe load test could not run: {exc}", file=sys.stderr)
            status = 2
        except KeyboardInterrupt:
            print("\nInterrupted.", file=sys.stderr)
            status = 130
        finally:
            if not stop_and_drop(server, pg, DB_NAME):
                status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
