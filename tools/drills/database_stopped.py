"""Drill: PostgreSQL stops under a running portal, and starts again.

On a throw-away cluster (port 55432) holding a restored copy of the source database. Expected:
while the database is down, public pages answer 503 with the Norwegian page and Retry-After (no
stack trace, no generic 500) and /healthz answers 503; once it is up again every page answers 200
without gunicorn being restarted (its connections are checked before reuse, CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import time

from tools.drills.common import ThrowawayCluster, dump, expect, restore
from tools.drills.source import Source
from tools.serving import Gunicorn, get_response, production_env

HEADING = "<h1>Midlertidig utilgjengelig</h1>"
RECOVERY_SECONDS = 15
DOWN_SECONDS = 2


def _answers(port: int, paths: list[str]) -> list[tuple[str, int, dict[str, str], str]]:
    answers = []
    for path in paths:
        status, headers, body = get_response(port, path)
        answers.append((path, status, headers, body.decode(errors="replace")))
    return answers


def drill(source: Source) -> list[str]:
    backup = source.folder / "database-stopped.dump"
    dump(source.pg, source.database, backup)
    pages = source.public_paths
    with ThrowawayCluster(source.cluster_port) as cluster:
        restore(cluster.pg, source.database, backup)
        env = production_env(cluster.pg.url(source.database))  # CONN_MAX_AGE as in production
        server = Gunicorn(env=env, log=source.folder / "database-stopped.log", threads=4)
        try:
            server.start().wait_until_healthy()
            workers = server.worker_pids()
            # Twice over, so that the threads hold open connections when the database goes away.
            up = _answers(server.port, [*pages, *pages, "/healthz"])
            expect(
                all(status == 200 for _, status, _, _ in up),
                f"not all pages answer 200 at first: {[(p, status) for p, status, _, _ in up]}",
            )

            cluster.stop()
            stopped_at = time.monotonic()
            down = []
            while time.monotonic() - stopped_at < DOWN_SECONDS:  # every thread meets it
                down += _answers(server.port, pages)
            status, _, health = get_response(server.port, "/healthz")
            html_pages = [p for p in pages if not p.startswith(("/feed", "/data/"))]
            lines = [
                f"database up: {len(up)} requests answered 200",
                "database stopped: "
                + ", ".join(sorted({str(status) for _, status, _, _ in down}))
                + f" on {len(down)} page requests; /healthz {status} {health.decode()!r}",
            ]
            expect(status == 503, f"/healthz answered {status} with the database stopped")
            for path, code, headers, body in down:
                expect(code == 503, f"{path} answered {code}, not 503, with the database stopped")
                expect("retry-after" in headers, f"{path}: no Retry-After")
                expect("Traceback" not in body, f"{path}: a stack trace in the answer")
                if path in html_pages:
                    expect(HEADING in body, f"{path}: not the Norwegian 503 page:\n{body[:300]}")

            cluster.start()
            started_at = time.monotonic()
            recovered = None
            while time.monotonic() - started_at < RECOVERY_SECONDS:
                again = _answers(server.port, [*pages, *pages, "/healthz"])
                if all(code == 200 for _, code, _, _ in again):
                    recovered = time.monotonic() - started_at
                    break
                time.sleep(0.5)
            expect(
                recovered is not None,
                f"pages did not answer 200 within {RECOVERY_SECONDS}s of the database's restart",
            )
            expect(
                server.process is not None and server.process.poll() is None,
                "gunicorn's master exited",
            )
            expect(server.worker_pids() == workers, "gunicorn's workers were replaced")
            lines.append(
                f"database down for {started_at - stopped_at:.1f}s; all pages 200 again "
                f"{recovered:.1f}s after its restart, same gunicorn workers {sorted(workers)}"
            )
        finally:
            server.stop()
    return lines
