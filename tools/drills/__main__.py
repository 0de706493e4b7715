"""`make drills`: the fault drills, each an automated check that can fail.

    .venv/bin/python -m tools.drills [worker-killed] [database-stopped] [backup-restore]

Builds the source database drivkraft_drill (demo programme + synthetic measures) on the machine's
PostgreSQL (127.0.0.1:5432, user postgres), then runs the drills named (all by default):

- worker-killed: SIGKILL one of two gunicorn workers under steady load
  (tools/drills/worker_killed.py)
- database-stopped: stop and restart PostgreSQL under the portal; a throw-away cluster on port
  55432, never the machine's own (tools/drills/database_stopped.py)
- backup-restore: pg_dump, pg_restore into a fresh database, compare, serve from it
  (tools/drills/backup_restore.py)

Prints each drill's outcome and duration; exits non-zero if any drill failed or could not run.
Everything it starts is stopped, and every database it made is dropped, also on Ctrl+C.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tools.drills import backup_restore, database_stopped, worker_killed
from tools.drills.common import DRILL_PG_PORT, DrillFailed, Outcome, PortReservation
from tools.drills.source import Source, create_source, drop_source
from tools.serving import HarnessError, raise_keyboard_interrupt

DRILLS: dict[str, Callable[[Source], list[str]]] = {
    "worker-killed": worker_killed.drill,
    "database-stopped": database_stopped.drill,
    "backup-restore": backup_restore.drill,
}


def run_drill(name: str, source: Source) -> Outcome:
    print(f"\n== {name} ==", flush=True)
    started = time.monotonic()
    try:
        lines = DRILLS[name](source)
    except DrillFailed as exc:
        outcome = Outcome(name, False, time.monotonic() - started, [f"FAILED: {exc}"])
    except (HarnessError, OSError) as exc:
        outcome = Outcome(name, False, time.monotonic() - started, [f"COULD NOT RUN: {exc}"])
    except Exception:
        details = traceback.format_exc()
        outcome = Outcome(name, False, time.monotonic() - started, [f"ERROR:\n{details}"])
    else:
        outcome = Outcome(name, True, time.monotonic() - started, lines)
    for line in outcome.lines:
        print(f"  {line}")
    print(f"  -> {'passed' if outcome.passed else 'FAILED'} in {outcome.seconds:.1f}s", flush=True)
    return outcome


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in DRILLS]
    if unknown:
        print(
            f"Unknown drill(s): {', '.join(unknown)}; known: {', '.join(DRILLS)}", file=sys.stderr
        )
        return 2
    names = argv or list(DRILLS)
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    started = time.monotonic()
    outcomes: list[Outcome] = []
    source: Source | None = None
    cluster_port = PortReservation(DRILL_PG_PORT)
    with tempfile.TemporaryDirectory(prefix="drivkraft-drills-") as tmp:
        try:
            cluster_port.hold()
            print("Building the source database drivkraft_drill …", flush=True)
            source = create_source(Path(tmp), cluster_port)
            print(f"  ready after {time.monotonic() - started:.1f}s")
            outcomes = [run_drill(name, source) for name in names]
        except HarnessError as exc:
            print(f"\nThe drills could not run: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("\nInterrupted.", file=sys.stderr)
            return 130
        finally:
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            cluster_port.release()
            try:
                if source is not None:
                    drop_source(source)
            except Exception as exc:
                print(f"Could not drop the source database: {exc}", file=sys.stderr)
            finally:
                signal.signal(signal.SIGINT, previous)

    print("\n| drill | outcome | seconds |\n|---|---|---|")
    for outcome in outcomes:
        verdict = "passed" if outcome.passed else "FAILED"
        print(f"| {outcome.name} | {verdict} | {outcome.seconds:.1f} |")
    print(f"\nAll drills: {time.monotonic() - started:.1f}s including the source database.")
    return 0 if all(outcome.passed for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
