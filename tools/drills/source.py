"""The drills' source database: the demo programme on the machine's PostgreSQL, made once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from tools.drills.common import PortReservation
from tools.serving import Postgres, prepare_database, production_env

DATABASE = "drivkraft_drill"
SYNTHETIC_MEASURES = 20


@dataclass(frozen=True)
class Source:
    pg: Postgres
    database: str
    folder: Path  # for logs and dumps
    measures: dict[str, str]  # slug -> title of a few public measures
    public_paths: list[str]
    # The throw-away cluster's port, held from the start so that no connection of the drills
    # before it takes that port as its local one.
    cluster_port: PortReservation


def create_source(folder: Path, cluster_port: PortReservation) -> Source:
    pg = Postgres()
    pg.recreate(DATABASE)
    prepare_database(production_env(pg.url(DATABASE)), measures=SYNTHETIC_MEASURES)
    with psycopg.connect(pg.dsn(DATABASE)) as conn:
        rows = conn.execute(
            "SELECT slug, title FROM measures_measure "
            "WHERE is_published AND archived_at IS NULL ORDER BY id LIMIT 5"
        ).fetchall()
    measures: dict[str, str] = dict(rows)
    paths = [
        "/",
        "/tiltak/",
        "/tiltak/?status=etter-plan",
        "/satsingsomrader/",
        "/kommuner/",
        "/oppdateringer/",
        "/feed/",
        "/data/tiltak.json",
        *[f"/tiltak/{slug}/" for slug in measures],
    ]
    return Source(
        pg=pg,
        database=DATABASE,
        folder=folder,
        measures=measures,
        public_paths=paths,
        cluster_port=cluster_port,
    )


def drop_source(source: Source) -> None:
    source.pg.drop(source.database)
