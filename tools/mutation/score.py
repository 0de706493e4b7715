"""The score of a cosmic-ray session: mutants run, killed, survived, and each survivor's line.

    .venv/bin/python tools/mutation/score.py .mutation/rules.sqlite [--survivors]

Read straight from the session's SQLite file. Mutants that the operators filter skipped, or that
cosmic-ray could not make, are not counted; an incompetent mutant (the tests could not run) is.
"""

from __future__ import annotations

import re
import sqlite3
import sys


def score(session: str, *, survivors: bool = False) -> str:
    with sqlite3.connect(session) as db:
        rows = db.execute(
            "SELECT s.module_path, s.start_pos_row, s.operator_name, r.test_outcome, r.diff "
            "FROM mutation_specs s JOIN work_results r ON r.job_id = s.job_id "
            "WHERE r.worker_outcome IN ('NORMAL', 'EXCEPTION', 'ABNORMAL') "
            "ORDER BY s.start_pos_row, s.operator_name"
        ).fetchall()
        pending = db.execute(
            "SELECT count(*) FROM work_items WHERE job_id NOT IN (SELECT job_id FROM work_results)"
        ).fetchone()[0]
    run = len(rows)
    survived = [row for row in rows if row[3] == "SURVIVED"]
    killed = run - len(survived)
    share = f"{100 * killed / run:.1f} % killed" if run else "nothing run"
    lines = [f"{run} mutants, {killed} killed, {len(survived)} survived ({share})"]
    if pending:
        lines[0] += f"; {pending} not run yet"
    if survivors:
        for path, row, operator, _outcome, diff in survived:
            changed = next(
                (
                    line[1:].strip()
                    for line in (diff or "").splitlines()
                    if re.match(r"\+[^+]", line)
                ),
                "",
            )
            lines.append(f"  {path}:{row} {operator.removeprefix('core/')}: {changed}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(score(sys.argv[1], survivors="--survivors" in sys.argv[2:]))
