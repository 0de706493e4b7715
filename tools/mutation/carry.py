"""Carry the killed mutants of an earlier session into a new one, so that only the survivors run.

    .venv/bin/python tools/mutation/carry.py .mutation/services.old.sqlite .mutation/services.sqlite

For `MUTATION_ONLY_SURVIVORS=1 make mutation` after tests were added: a mutant that a test killed
stays killed when tests are only added. The runner uses it only when the module's source is the
one the earlier session mutated (its SHA-256 is kept beside the session); a mutant is matched by
its operator, occurrence and position. Prints how many were carried.
"""

from __future__ import annotations

import sqlite3
import sys

# A mutant is the same one when module, operator, occurrence and position agree.
KILLED = (
    "SELECT s.module_path, s.operator_name, s.occurrence, s.start_pos_row, s.start_pos_col, "
    "r.worker_outcome, r.output, r.test_outcome, r.diff "
    "FROM mutation_specs s JOIN work_results r ON r.job_id = s.job_id "
    "WHERE r.test_outcome = 'KILLED'"
)
PENDING = (
    "SELECT s.module_path, s.operator_name, s.occurrence, s.start_pos_row, s.start_pos_col, "
    "s.job_id FROM mutation_specs s WHERE s.job_id NOT IN (SELECT job_id FROM work_results)"
)


def carry(old: str, new: str) -> int:
    with sqlite3.connect(old) as source:
        killed = {tuple(row[:5]): row[5:] for row in source.execute(KILLED)}
    carried = 0
    with sqlite3.connect(new) as target:
        pending = target.execute(PENDING).fetchall()
        for *key, job_id in pending:
            result = killed.get(tuple(key))
            if result is not None:
                target.execute(
                    "INSERT INTO work_results "
                    "(worker_outcome, output, test_outcome, diff, job_id) VALUES (?, ?, ?, ?, ?)",
                    (*result, job_id),
                )
                carried += 1
    return carried


if __name__ == "__main__":
    print(f"{carry(sys.argv[1], sys.argv[2])} killed mutants carried over from {sys.argv[1]}")
