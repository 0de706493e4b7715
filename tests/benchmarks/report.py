"""Benchmark: the full status report against a one-page "hello" document, same WeasyPrint, same run.

Run with `make bench-report` (or `.venv/bin/python -m tests.benchmarks.report`). Not collected by
pytest. Builds a throw-away SQLite database, loads the demo programme with 150 synthetic measures,
freezes the current-status snapshot of the whole programme (programme start to today) and times
`render_report_html` + `render_pdf` of it and `render_pdf` of a minimal page: one warm-up, then the
median of several runs each. The aim (issue 5): the full report within 10 times the hello document.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AIM = 10.0
HELLO_HTML = (
    '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Hei</title></head>'
    "<body><h1>Hei, styringsgruppen</h1></body></html>"
)


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time hardly depends on other processes)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=150, help="synthetic measures (150)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each document (3)")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs first (1)")
    parser.add_argument("--pdf", type=Path, help="also write the full report's PDF here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="drivkraft-bench-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ["DEBUG"] = "1"
        os.environ["DJANGO_SETTINGS_MODULE"] = "drivkraft.settings"
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")

        import django

        django.setup()
        # WeasyPrint logs every layout step at INFO; only problems belong in the output here.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from django.core.management import call_command
        from django.utils import timezone
        from weasyprint import HTML

        from measures.demo import load_demo
        from measures.models import Programme
        from reports.rendering import render_pdf, render_report_html
        from reports.snapshot import build_snapshot

        call_command("migrate", verbosity=0, interactive=False)
        # The loader behind `load_demo --measures N`, without the command's demo logins.
        summary = load_demo(synthetic_measures=args.measures)
        programme = Programme.objects.get(is_current=True)
        title = "Statusrapport – gjeldende status"
        started = time.perf_counter()
        snapshot = build_snapshot(
            programme=programme,
            title=title,
            period_start=programme.start,
            period_end=timezone.localdate(),
        )
        snapshot_seconds = time.perf_counter() - started

        result: dict[str, object] = {}

        def full_report() -> None:
            started = time.perf_counter()
            html = render_report_html(snapshot)
            html_times.append(time.perf_counter() - started)
            result["pdf"], result["pages"] = render_pdf(html, title=title)

        def hello() -> None:
            result["hello_pdf"], result["hello_pages"] = render_pdf(HELLO_HTML, title="Hei")

        def hello_default_fetcher() -> None:
            # For reference only: WeasyPrint's own URL fetcher builds a TLS context per document,
            # which our static-only fetcher does not; the hello document has nothing to fetch.
            HTML(string=HELLO_HTML).render().write_pdf(pdf_variant="pdf/ua-1")

        html_times: list[float] = []
        for _ in range(args.warmups):
            hello()
            hello_default_fetcher()
            full_report()
        html_times.clear()
        # Interleaved, so that a busy machine slows all the documents alike.
        full_times, hello_times, reference_times = [], [], []
        for _ in range(args.runs):
            hello_times.append(_timed(hello))
            reference_times.append(_timed(hello_default_fetcher))
            full_times.append(_timed(full_report))
        html_seconds = statistics.median(html_times)

    pdf = result["pdf"]
    assert isinstance(pdf, bytes)
    if args.pdf:
        args.pdf.write_bytes(pdf)
    figures = snapshot["figures"]
    print(
        f"Data: {summary.published_measures} publiserte tiltak ({args.measures} syntetiske), "
        f"{figures['changes']} statusendringer, {len(snapshot['attention'])} til oppmerksomhet, "
        f"{len(snapshot['indicators'])} indikatorer; øyeblikksbilde {snapshot_seconds:.3f} s"
    )
    print(
        f"Median av {args.runs} kjøringer etter {args.warmups} oppvarming "
        "(dokumentene annenhver gang):"
    )
    pages = result["pages"]
    for label, index in (("Veggklokke", 0), ("CPU-tid", 1)):
        full = statistics.median(t[index] for t in full_times)
        one_page = statistics.median(t[index] for t in hello_times)
        ratio = full / one_page
        verdict = "nådd" if ratio <= AIM else "IKKE nådd"
        print(
            f"  {label + ':':12} full rapport {full:.3f} s ({pages} sider) · "
            f"hei-dokument {one_page:.3f} s (1 side) · forhold {ratio:.1f} × "
            f"– mål ≤ {AIM:g} × {verdict}"
        )
        if index == 1:
            reference = statistics.median(t[index] for t in reference_times)
            print(
                f"  Til sammenligning, ikke målet: hei-dokumentet med WeasyPrints egen URL-henter "
                f"(bygger en TLS-kontekst per dokument) {reference:.3f} s CPU; "
                f"forhold {full / reference:.1f} ×"
            )
    print(f"  Full rapport: {len(pdf) // 1024} KiB PDF; HTML-malen alene {html_seconds:.3f} s")
    print(f"  Maskinlast: {os.getloadavg()[0]:.1f} (1 min) på {os.cpu_count()} kjerner")
    return 0


if __name__ == "__main__":
    sys.exit(main())
