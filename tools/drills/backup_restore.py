"""Drill: back up with pg_dump, restore into a fresh database, serve from the copy.

Expected: every table of our apps has the same number of rows, the key tables the same content
(an md5 over their rows in id order), and the portal served from the copy answers 200 with the
same measures.
"""

from __future__ import annotations

import json

import psycopg
from psycopg import sql

from tools.drills.common import dump, expect, restore
from tools.drills.source import Source
from tools.serving import Gunicorn, get, production_env

RESTORED = "drivkraft_drill_restored"
APPS = ("measures", "teams", "reports")
KEY_TABLES = ("measures_measure", "measures_statusupdate", "measures_focusarea", "teams_person")


def _facts(dsn: str) -> tuple[dict[str, int], dict[str, str]]:
    with psycopg.connect(dsn) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                "AND split_part(table_name, '_', 1) = ANY(%s) ORDER BY table_name",
                [list(APPS)],
            )
        ]
        counts = {}
        for table in tables:
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            counts[table] = int(row[0]) if row else -1
        checksums = {}
        for table in KEY_TABLES:
            row = conn.execute(
                sql.SQL(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
            checksums[table] = str(row[0]) if row else ""
    return counts, checksums


def drill(source: Source) -> list[str]:
    backup = source.folder / "backup.dump"
    dump(source.pg, source.database, backup)
    restore(source.pg, RESTORED, backup)
    try:
        counts, checksums = _facts(source.pg.dsn(source.database))
        restored_counts, restored_checksums = _facts(source.pg.dsn(RESTORED))
        lines = [
            f"pg_dump -Fc: {backup.stat().st_size // 1024} KiB; restored into {RESTORED}",
            f"{len(counts)} tables of {', '.join(APPS)}: {sum(counts.values())} rows "
            f"({counts.get('measures_measure')} measures, "
            f"{counts.get('measures_statusupdate')} status updates)",
        ]
        expect(len(counts) >= 10, f"only {len(counts)} tables found: {sorted(counts)}")
        differ = {
            t: (n, restored_counts.get(t)) for t, n in counts.items() if restored_counts.get(t) != n
        }
        expect(not differ, f"row counts differ (original, restored): {differ}")
        expect(
            checksums == restored_checksums,
            f"content differs: {checksums} != {restored_checksums}",
        )
        lines.append(f"row counts equal; md5 equal for {', '.join(KEY_TABLES)}")

        server = Gunicorn(
            env=production_env(source.pg.url(RESTORED)),
            log=source.folder / "backup-restore.log",
            threads=4,
        )
        try:
            server.start().wait_until_healthy()
            for path in source.public_paths:
                status, _ = get(server.port, path)
                expect(status == 200, f"{path} answered {status} from the restored database")
            for slug, title in source.measures.items():
                status, body = get(server.port, f"/tiltak/{slug}/")
                expect(title in body.decode(), f"/tiltak/{slug}/ does not show «{title}»")
            status, body = get(server.port, "/data/tiltak.json")
            served = {m["tittel"] for m in json.loads(body)["tiltak"]}
        finally:
            server.stop()
        with psycopg.connect(source.pg.dsn(source.database)) as conn:
            published = {
                row[0]
                for row in conn.execute(
                    "SELECT title FROM measures_measure WHERE is_published AND archived_at IS NULL"
                )
            }
        expect(served == published, "the open data from the copy lists other measures")
        lines.append(
            f"served from the copy: {len(source.public_paths)} pages 200, "
            f"{len(served)} measures in /data/tiltak.json, the same titles as the original"
        )
        return lines
    finally:
        source.pg.drop(RESTORED)
