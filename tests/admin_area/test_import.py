"""Import from CSV or Excel: check every row, preview, confirm; a bad file is rejected whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import resource
import sys
import time
import tracemalloc
import zipfile
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from measures.admin.measures import IMPORT_SALT
from measures.importing import MAX_BYTES, MAX_ROWS, ImportRow, read_table
from measures.models import Measure
from measures.services import measure_import
from measures.status import Status
from tests.admin_area.conftest import page_text
from tests.conftest import TestResponse
from tests.measures.factories import FocusAreaFactory, GoalFactory, MeasureFactory
from tests.teams.factories import MunicipalityFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/admin/measures/measure/import/"
HEADER = (
    "tittel;satsingsomrade;sammendrag;kortnavn;mal;planlagt_start;planlagt_slutt;"
    "ansvarlig;kommuner;samarbeidspartnere"
)


@pytest.fixture
def plan(db):
    area = FocusAreaFactory(name="Reiseliv", slug="reiseliv")
    return {
        "area": area,
        "goal": GoalFactory(focus_area=area, title="Flere besøkende"),
        "person": PersonFactory(name="Per Plan"),
        "harstad": MunicipalityFactory(name="Harstad", slug="harstad"),
        "narvik": MunicipalityFactory(name="Narvik", slug="narvik"),
        "partner": OrganisationFactory(name="Visit Harstad", short_name="VH"),
    }


def csv_upload(text: str, name: str = "plan.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


GOOD_CSV = (
    f"{HEADER}\n"
    "Bærekraftig besøksforvaltning;Reiseliv;Felles plan for besøk.;besoksforvaltning;"
    'Flere besøkende;2025-01-01;31.12.2026;Per Plan;"Harstad; Narvik";VH\n'
    "Vertskapskurs;reiseliv;Kurs for vertskap.;;;;;;;\n"
)


def preview(client: Client, upload: SimpleUploadedFile) -> TestResponse:
    return client.post(URL, {"file": upload, "_preview": "Sjekk filen"})


def test_a_good_file_is_previewed_without_writing_then_imported_as_drafts(client_for, leader, plan):
    client = client_for("leader")
    count = Measure.objects.count()

    response = preview(client, csv_upload(GOOD_CSV))

    assert response.status_code == 200
    assert Measure.objects.count() == count
    result = response.context["result"]
    assert result.errors == []
    assert [row.title for row in result.rows] == ["Bærekraftig besøksforvaltning", "Vertskapskurs"]
    assert "Forhåndsvisning av «plan.csv»" in page_text(response)
    payload = response.context["payload"]
    assert f'value="{payload}"' in response.content.decode()

    confirmed = client.post(URL, {"_confirm": "Importer", "payload": payload})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/admin/measures/measure/"
    first = Measure.objects.get(slug="besoksforvaltning")
    second = Measure.objects.get(slug="vertskapskurs")  # slug made from the title
    for measure in (first, second):
        assert measure.is_published is False
        assert measure.status == Status.NOT_STARTED
        assert measure.focus_area == plan["area"]
    assert first.goal == plan["goal"]
    assert (first.planned_start, first.planned_end) == (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert first.responsible == plan["person"]
    assert set(first.municipalities.all()) == {plan["harstad"], plan["narvik"]}
    assert list(first.partners.all()) == [plan["partner"]]
    follow = client.get(confirmed["Location"])
    assert "2 nye tiltak (som utkast) og 0 oppdaterte" in page_text(follow)


def test_an_import_updates_the_plan_of_an_existing_measure_but_not_its_status(client_for, plan):
    existing = MeasureFactory(
        slug="besoksforvaltning", title="Gammel tittel", status=Status.ON_TRACK, progress=40
    )
    client = client_for("leader")

    response = preview(client, csv_upload(GOOD_CSV))
    assert [row.exists for row in response.context["result"].rows] == [True, False]
    assert "oppdateres" in page_text(response)
    client.post(URL, {"_confirm": "Importer", "payload": response.context["payload"]})

    existing.refresh_from_db()
    assert existing.title == "Bærekraftig besøksforvaltning"
    assert (existing.status, existing.progress, existing.is_published) == (
        Status.ON_TRACK,
        40,
        True,
    )
    assert existing.version == 2


def test_a_file_with_bad_rows_is_rejected_whole_naming_each_row_and_column(client_for, plan):
    bad = (
        f"{HEADER}\n"
        "Godt tiltak;Reiseliv;Greit.;;;;;;;\n"
        "Ukjent område;Fiske;Feil område.;;;;;;;\n"
        "Dårlig dato;Reiseliv;Feil dato.;;;2025-13-45;;;;\n"
        "Ukjent kommune;Reiseliv;Feil kommune.;;;;;;Atlantis;\n"
        ";Reiseliv;;;;;;;;\n"
    )
    count = Measure.objects.count()

    response = preview(client_for("leader"), csv_upload(bad))

    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {
        (3, "satsingsomrade"),
        (4, "planlagt_start"),
        (5, "kommuner"),
        (6, "tittel"),
        (6, "kortnavn"),  # nothing to make it from
        (6, "sammendrag"),
    }
    text = page_text(response)
    assert "ble avvist: 6 feil. Ingenting er lagret." in text
    for row, column in errors:
        assert f"{row} {column}" in text
    assert "Ukjent satsingsområde «Fiske»" in text
    assert "payload" not in response.context
    assert 'name="_confirm"' not in response.content.decode()
    assert Measure.objects.count() == count


def test_a_row_whose_slug_repeats_is_named(client_for, plan):
    text = f"{HEADER}\nA;Reiseliv;a.;samme;;;;;;\nB;Reiseliv;b.;samme;;;;;;\n"

    response = preview(client_for("leader"), csv_upload(text))

    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "kortnavn")]


def test_a_tampered_payload_is_refused(client_for, plan):
    client = client_for("leader")
    payload = preview(client, csv_upload(GOOD_CSV)).context["payload"]
    forged = signing.loads(payload, salt=IMPORT_SALT)
    forged["rows"][0]["tittel"] = "Smuglet inn"
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    resigned_with_wrong_key = signing.dumps(forged, key="not-the-secret-key", salt=IMPORT_SALT)
    count = Measure.objects.count()

    for bad_payload in (tampered, resigned_with_wrong_key, "", "tull"):
        response = client.post(URL, {"_confirm": "Importer", "payload": bad_payload})

        assert response.status_code == 200
        assert "Forhåndsvisningen er utløpt eller ugyldig" in page_text(response)
    assert Measure.objects.count() == count


def test_the_confirmation_checks_the_rows_again(client_for, plan):
    client = client_for("leader")
    payload = preview(client, csv_upload(GOOD_CSV)).context["payload"]
    plan["area"].name = "Omdøpt"  # the plan changed between preview and confirmation
    plan["area"].slug = "omdopt"
    plan["area"].save()
    count = Measure.objects.count()

    response = client.post(URL, {"_confirm": "Importer", "payload": payload})

    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["result"].errors} == {
        (2, "satsingsomrade"),
        (2, "mal"),  # the goal is looked up in the focus area
        (3, "satsingsomrade"),
    }
    assert Measure.objects.count() == count


def test_an_excel_file_works(client_for, plan):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Tittel", "Satsingsområde", "Sammendrag", "Planlagt start", "Planlagt slutt"])
    sheet.append(["Fra Excel", "Reiseliv", "Lest fra xlsx.", dt.datetime(2025, 2, 1), None])  # noqa: DTZ001 - Excel cells carry no time zone
    sheet.append([None, None, None, None, None])  # an empty row is skipped
    sheet.append(["Også fra Excel", "Reiseliv", "Nummer to.", dt.date(2025, 3, 1), "2025-12-31"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile(
        "plan.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    client = client_for("leader")

    response = preview(client, upload)

    assert response.context["result"].errors == []
    client.post(URL, {"_confirm": "Importer", "payload": response.context["payload"]})
    measure = Measure.objects.get(title="Fra Excel")
    assert (measure.planned_start, measure.is_published) == (dt.date(2025, 2, 1), False)
    assert Measure.objects.get(title="Også fra Excel").planned_end == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tittel;satsingsomrade\nA;Reiseliv\n", "Filen mangler kolonnene: sammendrag."),
        (
            "tittel;satsingsomrade;sammendrag;farge\nA;Reiseliv;a.;blå\n",
            "Ukjente kolonner: farge.",
        ),
        ("", "Filen er tom."),
    ],
)
def test_missing_and_unknown_columns_are_reported(client_for, plan, text, message):
    count = Measure.objects.count()

    response = preview(client_for("leader"), csv_upload(text))

    assert response.status_code == 200
    assert message in page_text(response)
    assert "payload" not in response.context
    assert Measure.objects.count() == count


@pytest.mark.parametrize("name", ["plan.pdf", "plan.xls", "plan"])
def test_a_file_that_is_not_csv_or_xlsx_is_refused(client_for, plan, name):
    response = preview(client_for("leader"), csv_upload(GOOD_CSV, name=name))

    assert "Bruk en CSV-fil (.csv) eller en Excel-fil (.xlsx)." in page_text(response)
    assert "payload" not in response.context


def test_a_broken_excel_file_gives_a_clear_error(client_for, plan):
    response = preview(client_for("leader"), csv_upload("ikke et regneark", name="plan.xlsx"))

    assert "Excel-filen kunne ikke leses." in page_text(response)


def test_a_csv_file_that_is_not_utf8_gives_a_clear_error(client_for, plan):
    text = f"{HEADER}\nTiltak på Grøtøy;Reiseliv;Særs bra.;;;;;;;\n"

    response = preview(client_for("leader"), csv_upload(text, encoding="latin-1"))

    assert "CSV-filen må være lagret som UTF-8." in page_text(response)
    assert Measure.objects.filter(title__contains="Grøtøy").count() == 0


def test_a_csv_with_a_byte_order_mark_and_commas_is_read(client_for, plan):
    text = "\ufefftittel,satsingsomrade,sammendrag\nMed BOM,Reiseliv,Fra Excel på Windows.\n"

    response = preview(client_for("leader"), csv_upload(text))

    assert response.context["result"].errors == []
    assert [r.title for r in response.context["result"].rows] == ["Med BOM"]


def test_the_delimiter_comes_from_the_header_whatever_the_rows_hold(client_for, plan):
    description = 'Mål, tiltak, «sitater» og "anførselstegn", komma, komma;\nover to linjer.'
    quoted = '"' + description.replace('"', '""') + '"'
    text = "tittel;satsingsomrade;sammendrag;beskrivelse\n" + "".join(
        f"Med komma {n};Reiseliv;Kort, med komma, mange, ganger.;{quoted}\r\n" for n in range(3)
    )

    response = preview(client_for("leader"), csv_upload(text))

    assert response.context["result"].errors == []
    assert [r.description for r in response.context["result"].rows] == [description] * 3


def test_control_characters_are_refused_by_row_and_column(client_for, plan):
    text = "tittel;satsingsomrade;sammendrag\nNul\x00tegn;Reiseliv;Med\ttab og\x07bjelle.\n"

    response = preview(client_for("leader"), csv_upload(text))

    errors = [(e.row, e.column) for e in response.context["result"].errors]
    assert errors == [(2, "tittel"), (2, "sammendrag")]
    assert "kontrolltegn" in page_text(response)


def test_a_cell_too_long_for_the_csv_reader_gives_a_clear_error(client_for, plan):
    text = "tittel;satsingsomrade;sammendrag\n" + "x" * 200_000 + ";Reiseliv;Lang.\n"

    response = preview(client_for("leader"), csv_upload(text))

    assert "CSV-filen kunne ikke leses ved linje 2" in page_text(response)


def test_measure_import_writes_nothing_when_a_later_row_fails(plan):
    def row(number: int, slug: str, **kwargs: Any) -> ImportRow:
        values = {
            "row": number,
            "slug": slug,
            "title": slug,
            "focus_area_id": plan["area"].pk,
            "goal_id": None,
            "summary": "s",
            "description": "",
            "strategy": "",
            "expected_result": "",
            "planned_start": None,
            "planned_end": None,
            "responsible_id": None,
        }
        return ImportRow(**(values | kwargs))

    rows = [
        row(2, "forste"),
        row(3, "andre", planned_start="2026-01-01", planned_end="2025-01-01"),
    ]

    with pytest.raises(ValidationError):
        measure_import(rows=rows)

    assert not Measure.objects.filter(slug__in=["forste", "andre"]).exists()


# --- Files that claim more than they hold ------------------------------------------------------


def xlsx_claiming(dimension: str, *, far_cell: str | None = None) -> bytes:
    """A small, good Excel file whose sheet claims the `dimension` (and holds `far_cell`): the
    kind of 1.5 KB file that made the import reserve memory for every cell it claimed."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["tittel", "satsingsomrade", "sammendrag"])
    sheet.append(["Fra et stort ark", "Reiseliv", "Arket sier det er enormt."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
                if far_cell is not None:
                    row = re.sub(r"\D", "", far_cell)
                    xml = xml.replace(
                        "</sheetData>",
                        f'<row r="{row}"><c r="{far_cell}" t="inlineStr"><is><t>x</t></is></c>'
                        "</row></sheetData>",
                    )
                assert f'ref="{dimension}"' in xml
                content = xml.encode()
            target.writestr(item, content)
    data = patched.getvalue()
    assert len(data) < 10_000
    return data


def measured_read(data: bytes) -> tuple[list[dict[str, str]] | ValidationError, float, int]:
    """What `read_table` answers, how long it took (without tracing) and the peak of memory
    allocated while it ran (traced)."""

    def read() -> list[dict[str, str]] | ValidationError:
        try:
            return read_table(io.BytesIO(data), "plan.xlsx")
        except ValidationError as error:
            return error

    started = time.perf_counter()
    result = read()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        read()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, elapsed, peak


MB = 1024 * 1024


def test_a_sheet_claiming_16384_columns_is_read_as_narrow_as_its_header():
    # The far cell is in no column the header names: it is not read.
    result, elapsed, peak = measured_read(xlsx_claiming("A1:XFD5000", far_cell="XFD5000"))

    assert result == [
        {
            "tittel": "Fra et stort ark",
            "satsingsomrade": "Reiseliv",
            "sammendrag": "Arket sier det er enormt.",
        }
    ]
    assert elapsed < 1
    assert peak < 50 * MB


def test_a_sheet_with_a_cell_in_its_last_row_and_column_is_refused_quickly():
    usage_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    result, elapsed, peak = measured_read(xlsx_claiming("A1:XFD1048576", far_cell="XFD1048576"))

    assert isinstance(result, ValidationError)
    assert result.messages == ["Filen fortsetter forbi rad 5000. Fjern tomme rader under tabellen."]
    assert elapsed < 1
    assert peak < 50 * MB
    growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - usage_before
    assert growth_kb < 50 * 1024


def test_such_a_sheet_is_refused_on_the_import_page(client_for, plan):
    upload = SimpleUploadedFile(
        "plan.xlsx", xlsx_claiming("A1:XFD1048576", far_cell="XFD1048576"), content_type="x"
    )

    response = preview(client_for("leader"), upload)

    assert response.status_code == 200
    assert "Filen fortsetter forbi rad 5000." in page_text(response)
    assert "payload" not in response.context


def test_an_excel_file_that_unpacks_to_too_much_is_refused():
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (60 * MB))
    assert len(packed.getvalue()) < MAX_BYTES

    with pytest.raises(ValidationError, match="for stor når den pakkes ut"):
        read_table(io.BytesIO(packed.getvalue()), "plan.xlsx")


def test_more_than_the_row_limit_is_refused_without_reading_on():
    lines = ["tittel;satsingsomrade;sammendrag"]
    lines += [f"Tiltak {n};Reiseliv;Sammendrag." for n in range(MAX_ROWS + 1)]
    lines += ["\n" * 100_000]

    with pytest.raises(ValidationError, match=f"Filen har mer enn {MAX_ROWS} rader."):
        read_table(io.BytesIO("\n".join(lines).encode()), "plan.csv")


def test_a_csv_of_empty_lines_after_the_header_is_refused_quickly():
    data = ("tittel;satsingsomrade;sammendrag\n" + "\n" * (MAX_BYTES - 100)).encode()
    started = time.perf_counter()

    with pytest.raises(ValidationError, match="Filen fortsetter forbi rad"):
        read_table(io.BytesIO(data), "plan.csv")

    assert time.perf_counter() - started < 1


def test_blank_rows_between_the_measures_are_skipped():
    text = "tittel;satsingsomrade;sammendrag\n\nA;Reiseliv;a.\n;;\n\nB;Reiseliv;b.\n"

    rows = read_table(io.BytesIO(text.encode()), "plan.csv")

    assert [row["tittel"] for row in rows] == ["A", "B"]


def test_a_long_cell_is_refused_even_when_the_csv_module_allows_it(client_for, plan):
    # Libraries raise the csv module's process-wide limit (frictionless does); ours stays.
    text = "tittel;satsingsomrade;sammendrag\n" + "x" * 200_000 + ";Reiseliv;Lang.\n"
    old = csv.field_size_limit(sys.maxsize)
    try:
        response = preview(client_for("leader"), csv_upload(text))
    finally:
        csv.field_size_limit(old)

    assert "CSV-filen kunne ikke leses ved linje 2" in page_text(response)
