"""Where the time of a cold public page goes: each page kind made with the page cache off, through
Django's test client, timed and profiled with cProfile.

    DATABASE_URL=postgres://… .venv/bin/python -m tools.benchmarks.profile_pages [--top 12]

It reads the database DATABASE_URL names (load it with `manage.py load_demo --measures 200`
first) and changes nothing in it. Per page kind it prints the median time of a cold request, its
query count, and the top entries of its profile by own time and by cumulative time within our
code. A tool for finding causes, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = str(Path(__file__).resolve().parents[2]) + "/"
# Our apps, and Django's template engine: the rows of a cumulative profile that name a cause.
OURS = (
    r"(/(drivkraft|measures|teams|reports|workspace)/(?!migrations)"
    r"|template/(base|defaulttags|loader_tags)\.py:\d+\((render|render_annotated)\)"
    r"|markdown|nh3|charts)"
)

PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("home", "/", {}),
    ("measure list", "/tiltak/", {}),
    ("measure list, filtered (htmx)", "/tiltak/?status=forsinket", {"HX-Request": "true"}),
    ("measure", "/tiltak/{measure}/", {}),
    ("focus areas", "/satsingsomrader/", {}),
    ("focus area", "/satsingsomrader/{area}/", {}),
    ("municipalities", "/kommuner/", {}),
    ("municipality", "/kommuner/{municipality}/", {}),
    ("updates", "/oppdateringer/", {}),
    ("organisation", "/organisering/", {}),
    ("feed", "/feed/", {}),
    ("open data", "/data/", {}),
    ("tiltak.csv", "/data/tiltak.csv", {}),
    ("tiltak.json", "/data/tiltak.json", {}),
    ("embed, municipality", "/innebygd/kommuner/{municipality}/", {}),
)


def slugs() -> dict[str, str]:
    from measures.models import FocusArea, Measure
    from teams.models import Municipality

    measure = Measure.objects.public().filter(slug="skaperkraft-konferansen").first()
    measure = measure or Measure.objects.public().order_by("pk").first()
    area = FocusArea.objects.filter(programme__is_current=True).order_by("order").first()
    municipality = Municipality.objects.filter(slug="harstad").first()
    municipality = municipality or Municipality.objects.order_by("name").first()
    if measure is None or area is None or municipality is None:
        raise SystemExit("Load the demo first: manage.py load_demo --measures 200")
    return {"measure": measure.slug, "area": area.slug, "municipality": municipality.slug}


def page_bytes(response: Any) -> int:
    if response.streaming:
        return sum(len(bytes(chunk)) for chunk in response.streaming_content)
    return len(response.content)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--top", type=int, default=12, help="profile entries per page [12]")
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page [10]")
    parser.add_argument("--only", default="", help="profile only pages whose label contains this")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    names = slugs()
    client = Client(headers={"X-Forwarded-Proto": "https"}, secure=True)
    rows: list[tuple[str, float, int, int]] = []
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        assert settings.PUBLIC_PAGE_CACHE_SECONDS == 0
        for label, template, headers in PAGES:
            path = template.format(**names)
            response = client.get(path, headers=headers)  # warm: imports, templates, connection
            if response.status_code != 200:
                print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            size = page_bytes(response)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                page_bytes(client.get(path, headers=headers))
                times.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                page_bytes(client.get(path, headers=headers))
            rows.append((f"{label} {path}", statistics.median(times), len(queries), size))
            if args.only and args.only not in label:
                continue
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(5):
                page_bytes(client.get(path, headers=headers))
            profile.disable()
            for order, within in (("tottime", ""), ("cumulative", OURS)):
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).sort_stats(order)
                stats.print_stats(*([within] if within else []), args.top)
                body = out.getvalue().split("ncalls", 1)[-1].replace(ROOT, "")
                where = " in our code and templates" if within else ""
                print(f"\n## {label} {path}: top {args.top} by {order}{where} (5 requests)")
                print(f"   ncalls{body.rstrip()}")

    print("\n| page | cold ms (median) | queries | bytes |\n|---|---:|---:|---:|")
    for name, ms, count, size in rows:
        print(f"| {name} | {ms:.1f} | {count} | {size} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
