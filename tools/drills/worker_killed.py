"""Drill: a gunicorn worker is killed (SIGKILL) under steady load.

Expected: only requests in flight at that moment fail, and only as a lost connection (never an
HTTP error); the master starts a new worker; every request started after the kill succeeds.
"""

from __future__ import annotations

import os
import signal
import time

from tools.drills.common import RecordingLoad, expect
from tools.drills.source import Source
from tools.serving import Gunicorn, production_env

LOAD_SECONDS = 12
KILL_AFTER = 5


def drill(source: Source) -> list[str]:
    env = production_env(source.pg.url(source.database))
    server = Gunicorn(env=env, log=source.folder / "worker-killed.log", workers=2, threads=4)
    try:
        server.start().wait_until_healthy()
        before = server.worker_pids()
        # Cached pages take a millisecond; uncached searches keep requests in flight in the
        # workers, so that the kill meets some.
        paths = [*source.public_paths, *["/tiltak/?q=ingen-treff-{n}"] * 4]
        with RecordingLoad(server.port, paths, threads=6) as load:
            time.sleep(KILL_AFTER)
            victim = min(before)
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            respawned_at = None
            while time.monotonic() - killed_at < LOAD_SECONDS - KILL_AFTER:
                if respawned_at is None and (server.worker_pids() - before):
                    respawned_at = time.monotonic()
                time.sleep(0.05)
        after = server.worker_pids()
        requests = load.snapshot()
    finally:
        server.stop()

    failed = [r for r in requests if r.status != 200]
    in_flight = [r for r in requests if r.started < killed_at < r.ended]
    later = [r for r in requests if r.started >= killed_at]
    after_respawn = [r for r in later if respawned_at is not None and r.started >= respawned_at]
    lines = [
        f"{len(requests)} requests in {LOAD_SECONDS}s by 6 clients; worker {victim} of "
        f"{sorted(before)} killed after {KILL_AFTER}s",
        f"{len(in_flight)} in flight at the kill; {len(failed)} failed: "
        + (", ".join(f"{r.path} {r.status or r.error}" for r in failed) or "none"),
        f"{len(later)} requests started after the kill, all answered 200: "
        f"{all(r.status == 200 for r in later)}",
    ]
    expect(respawned_at is not None, "the master did not start a new worker")
    assert respawned_at is not None
    lines.append(f"new worker after {respawned_at - killed_at:.1f}s; workers now {sorted(after)}")
    expect(victim not in after and len(after) == len(before), f"workers now {sorted(after)}")
    expect(
        all(r.status is None for r in failed),
        "a request failed with an HTTP error: "
        + ", ".join(f"{r.path} {r.status}" for r in failed if r.status is not None),
    )
    expect(
        all(r in in_flight for r in failed),
        "a request failed that was not in flight at the kill",
    )
    expect(len(failed) <= len(in_flight), "more failures than requests in flight")
    expect(not [r for r in later if r.status != 200], "a request after the kill failed")
    expect(len(after_respawn) >= 10, f"only {len(after_respawn)} requests after the respawn")
    return lines
