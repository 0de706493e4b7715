"""Benchmark: the current-status report against a one-page "hello" document, same WeasyPrint.

Run with `make bench-report` (or `.venv/bin/python -m tools.benchmarks.report`). Not collected by
pytest. Builds a throw-away SQLite database, loads the demo programme with 150 synthetic measures,
freezes the snapshot of the whole programme that `/rapporter/gjeldende.pdf` shows (programme start
to today, as when no report has been issued yet) and times `render_report_html(compact=True)` +
`render_pdf` of it, and WeasyPrint's own `HTML(string=...).write_pdf()` of a one-line page: one
warm-up, then the median of several interleaved runs, in CPU seconds and wall-clock seconds.

The aim (issue 5): the report within 10 times the hello document. To show that the baseline is
the one the aim was set against, the run also times the issue's two orientation documents: a
plain 150-row table (about 19 times the hello document there) and the same rows as blocks
(about 6 times). For a stricter view it also prints the ratio to a hello document rendered the
way our reports are (our static-only fetcher, which skips WeasyPrint's TLS set-up, and PDF/UA),
and how much of the report's CPU time the PDF/UA finishing (`reports.pdfua.finish_pdfua`) takes.
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
from typing import Any

AIM = 10.0
HELLO_HTML = (
    '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Hei</title></head>'
    "<body><h1>Hei, styringsgruppen</h1></body></html>"
)
# The orientation documents: 150 rows of a measure's usual facts, as a table and as blocks.
ROW = ("Tiltak {n:03d} – kompetanseheving", "Under arbeid", "45 %", "Kari Nordmann", "03.2019",
       "12.2021", "12.03.2022")  # fmt: skip
TABLE_HTML = (
    "<!doctype html><html><body><table>"
    + "".join(
        "<tr>" + "".join(f"<td>{cell.format(n=n)}</td>" for cell in ROW) + "</tr>"
        for n in range(150)
    )
    + "</table></body></html>"
)
BLOCKS_HTML = (
    "<!doctype html><html><body>"
    + "".join("<p>" + " · ".join(cell.format(n=n) for cell in ROW) + "</p>" for n in range(150))
    + "</body></html>"
)


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time hardly depends on other processes)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=150, help="synthetic measures (150)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each document (5)")
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
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from measures.demo import load_demo
        from measures.models import Programme
        from reports import pdfua
        from reports.layouts import render_report_html
        from reports.pdf import BASE_URL, StaticOnlyURLFetcher, _status_colours, render_pdf
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
        html_times: list[float] = []
        # CPU seconds of the PDF/UA finishing (pikepdf) inside each render_pdf of the report.
        finish_times: list[float] = []
        finish = pdfua.finish_pdfua

        def timed_finish(pdf: bytes, **kwargs: Any) -> bytes:
            started = time.process_time()
            try:
                return finish(pdf, **kwargs)
            finally:
                finish_times.append(time.process_time() - started)

        def full_report() -> None:
            started = time.perf_counter()
            html = render_report_html(snapshot, compact=True)
            html_times.append(time.perf_counter() - started)
            pdfua.finish_pdfua = timed_finish
            try:
                result["pdf"], result["pages"] = render_pdf(html, title=title)
            finally:
                pdfua.finish_pdfua = finish

        def weasyprint_document(html: str) -> Callable[[], object]:
            return lambda: HTML(string=html).write_pdf()

        # WeasyPrint's own levers (issue 15), each kept for every render of the process: one
        # FontConfiguration (fontconfig set up once), one image cache (the charts and the logo
        # decoded once). `render_pdf` with them added, step by step as it does.
        shared_fonts = FontConfiguration()
        shared_images: dict[str, object] = {}

        def with_levers(*, fonts: bool, images: bool) -> Callable[[], object]:
            def work() -> object:
                html = render_report_html(snapshot, compact=True)
                fetcher = StaticOnlyURLFetcher()
                font_config = shared_fonts if fonts else None
                colours = CSS(
                    string=_status_colours(),
                    base_url=BASE_URL,
                    url_fetcher=fetcher,
                    font_config=font_config,
                )
                source = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
                options: dict[str, Any] = {"cache": shared_images} if images else {}
                document = source.render(stylesheets=[colours], font_config=font_config, **options)
                document.metadata.title = title
                written = document.write_pdf(pdf_variant="pdf/ua-1", **options)
                return pdfua.finish_pdfua(
                    written, link_labels=pdfua.link_labels(source.etree_element)
                )

            return work

        documents: dict[str, Callable[[], object]] = {
            "report": full_report,
            "hello": weasyprint_document(HELLO_HTML),
            "hello_ours": lambda: render_pdf(HELLO_HTML, title="Hei"),
            "table": weasyprint_document(TABLE_HTML),
            "blocks": weasyprint_document(BLOCKS_HTML),
            "lever_none": with_levers(fonts=False, images=False),
            "lever_fonts": with_levers(fonts=True, images=False),
            "lever_images": with_levers(fonts=False, images=True),
            "lever_both": with_levers(fonts=True, images=True),
        }
        for _ in range(args.warmups):
            for work in documents.values():
                work()
        html_times.clear()
        finish_times.clear()
        # Interleaved, so that a busy machine slows all the documents alike.
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in documents}
        for _ in range(args.runs):
            for name, work in documents.items():
                times[name].append(_timed(work))
        html_seconds = statistics.median(html_times)
        finish_seconds = statistics.median(finish_times)

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

    def median(name: str, index: int) -> float:
        return statistics.median(t[index] for t in times[name])

    pages = result["pages"]
    for label, index in (("CPU-tid", 1), ("Veggklokke", 0)):
        full, hello = median("report", index), median("hello", index)
        ratio = full / hello
        verdict = "nådd" if ratio <= AIM else "IKKE nådd"
        print(
            f"  {label + ':':12} gjeldende rapport {full:.3f} s ({pages} sider) · "
            f"hei-dokument {hello:.3f} s (1 side) · forhold {ratio:.1f} × "
            f"– mål ≤ {AIM:g} × {verdict}"
        )
    hello = median("hello", 1)
    print(
        "  Kalibrering (CPU, mot samme hei-dokument; saken oppgir om lag 19 × og 6 ×): "
        f"150 tabellrader {median('table', 1) / hello:.1f} ×, "
        f"de samme radene som blokker {median('blocks', 1) / hello:.1f} ×"
    )
    ours = median("hello_ours", 1)
    print(
        f"  Strengere, ikke målet: hei-dokumentet gjennom vår egen render_pdf (PDF/UA, uten "
        f"WeasyPrints TLS-oppsett) {ours:.3f} s; forhold {median('report', 1) / ours:.1f} ×"
    )
    print(f"  PDF: {len(pdf) // 1024} KiB; HTML-malen alene {html_seconds:.3f} s")
    report_cpu = median("report", 1)
    print(
        f"  PDF/UA-etterarbeidet (pikepdf: topp- og bunntekst som artefakter, lenketekster) "
        f"{finish_seconds:.3f} s CPU av rapportens {report_cpu:.3f} s "
        f"({100 * finish_seconds / report_cpu:.1f} %)"
    )
    without = median("lever_none", 1)
    print(
        "  WeasyPrints egne spaker (issue 15), CPU-tid mot hei-dokumentet og mot rapporten uten "
        f"noen av dem ({without:.3f} s, {without / hello:.1f} ×); render_pdf bruker felles "
        "FontConfiguration (én per tråd):"
    )
    for name, label in (
        ("lever_fonts", "felles FontConfiguration"),
        ("lever_images", "felles bildebuffer (cache)"),
        ("lever_both", "begge"),
    ):
        lever = median(name, 1)
        print(
            f"    {label + ':':30} {lever:.3f} s, forhold {lever / hello:.1f} × "
            f"(uten: {without / hello:.1f} ×), endring {100 * (lever / without - 1):+.1f} %"
        )
    print(f"  Maskinlast: {os.getloadavg()[0]:.1f} (1 min) på {os.cpu_count()} kjerner")
    return 0


if __name__ == "__main__":
    sys.exit(main())
