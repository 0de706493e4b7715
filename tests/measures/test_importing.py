"""Reading a plan from a spreadsheet (measures/importing.py), without the admin around it: the
limits exactly at their boundaries, the columns, the cells, and every rule a row is checked
against, with the row and column each problem is named by.

The test subset of `make mutation` for the import (tools/mutation/importing.toml); the import page
and the memory a hostile sheet may cost are tested in tests/admin_area/test_import.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from measures.importing import ImportResult, RowError, _cell, read_table, validate_rows
from measures.services import measure_import
from tests.measures.factories import FocusAreaFactory, GoalFactory, MeasureFactory
from tests.teams.factories import MunicipalityFactory, OrganisationFactory, PersonFactory

# The limits, spelled out rather than read from the module under test.
FIVE_MB = 5_242_880
ROWS = 1000
LINES = 5000
COLUMNS = 50
UNPACKED = 52_428_800
SNIFFED = 65_536
CELL = 131_072

HEADER = "tittel;satsingsomrade;sammendrag"
ROW = "Tiltak;Reiseliv;Kort."


def read_csv(text: str, name: str = "plan.csv") -> list[dict[str, str]]:
    return read_table(io.BytesIO(text.encode()), name)


def refusal(data: bytes, name: str = "plan.csv") -> str:
    with pytest.raises(ValidationError) as error:
        read_table(io.BytesIO(data), name)
    (message,) = error.value.messages
    return message


def xlsx(rows: list[list[Any]], *, patch: dict[str, str] | None = None) -> bytes:
    """An Excel file of these rows; `patch` replaces whole cells in the sheet's XML by cell
    reference (for what openpyxl does not write, such as a formula with its computed value)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not patch:
        return buffer.getvalue()
    source = zipfile.ZipFile(buffer)
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for ref, cell in patch.items():
                    xml, count = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', cell, xml)
                    assert count == 1, ref
                content = xml.encode()
            target.writestr(item, content)
    return patched.getvalue()


def zip_of(size: int) -> bytes:
    """A small zip archive that unpacks to `size` bytes."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * size)
    return packed.getvalue()


# The limits, at their boundaries ----------------------------------------------------------------


def csv_of_size(size: int) -> bytes:
    """A good CSV file of exactly `size` bytes: one measure, then long cells past the header's
    columns, which the import never reads (each under the csv module's 128 kB per cell)."""
    start = f"{HEADER}\n{ROW}"
    padding = size - len(start)
    cells = [";" + "x" * min(100_000, padding - n - 1) for n in range(0, padding, 100_001)]
    data = (start + "".join(cells)).encode()
    assert len(data) == size
    return data


def test_a_file_of_exactly_5_mb_is_read():
    rows = read_table(io.BytesIO(csv_of_size(FIVE_MB)), "plan.csv")

    assert rows == [{"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}]


def test_a_file_one_byte_over_5_mb_is_refused():
    assert refusal(csv_of_size(FIVE_MB + 1)) == "Filen er større enn 5 MB."


def test_exactly_1000_measures_are_read_and_one_more_is_refused():
    rows = [f"Tiltak {n};Reiseliv;Kort." for n in range(ROWS)]

    assert len(read_csv("\n".join([HEADER, *rows]))) == ROWS
    assert refusal("\n".join([HEADER, *rows, ROW]).encode()) == "Filen har mer enn 1000 rader."


def test_blank_lines_count_towards_the_line_limit_exactly():
    # The header is line 1; a measure on line 5000 is read, one on line 5001 is not.
    at_the_limit = HEADER + "\n" * (LINES - 1) + ROW
    past_it = HEADER + "\n" * LINES + ROW

    assert read_csv(at_the_limit) == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}
    ]
    assert refusal(past_it.encode()) == (
        "Filen fortsetter forbi rad 5000. Fjern tomme rader under tabellen."
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_fifty_columns_are_read_and_a_51st_is_refused(kind):
    def file(width: int) -> bytes:
        header = ["tittel", "satsingsomrade", "sammendrag"] + [""] * (width - 4) + ["kommuner"]
        row = ["Tiltak", "Reiseliv", "Kort."] + [""] * (width - 4) + ["Harstad"]
        if kind == "xlsx":
            return xlsx([header, row])
        return "\n".join(";".join(cells) for cells in (header, row)).encode()

    (row,) = read_table(io.BytesIO(file(COLUMNS)), f"plan.{kind}")

    assert row["kommuner"] == "Harstad"
    assert refusal(file(COLUMNS + 1), f"plan.{kind}") == "Filen har mer enn 50 kolonner."


def test_an_excel_file_that_unpacks_to_exactly_50_mb_is_opened_and_more_is_refused():
    # Exactly the limit passes the check and is then opened (this archive is no workbook).
    assert refusal(zip_of(UNPACKED), "plan.xlsx") == "Excel-filen kunne ikke leses."
    assert (
        refusal(zip_of(UNPACKED + 1), "plan.xlsx") == "Excel-filen er for stor når den pakkes ut."
    )


def test_the_delimiter_is_found_in_a_header_line_of_64_k_characters():
    # Leading spaces in a column name are no part of it; the first «;» is near the end.
    header = " " * (SNIFFED - len(HEADER) - 1) + HEADER

    assert read_csv(f"{header}\n{ROW}") == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}
    ]


# The file and its columns ------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"") == "Filen er tom."
    # One empty line is a header without columns.
    assert refusal(b"\n") == "Filen mangler kolonnene: tittel, satsingsomrade, sammendrag."


@pytest.mark.parametrize("name", ["plan.xls", "plan.ods", "plan", "plan.csv.exe"])
def test_only_csv_and_excel_files_are_read(name):
    assert refusal(f"{HEADER}\n{ROW}".encode(), name) == (
        "Bruk en CSV-fil (.csv) eller en Excel-fil (.xlsx)."
    )


@pytest.mark.parametrize("name", ["PLAN.CSV", "plan.txt", "Plan.XLSX"])
def test_the_file_kind_is_known_by_its_ending_in_any_case(name):
    data = xlsx([HEADER.split(";"), ROW.split(";")]) if name.lower().endswith("xlsx") else None
    rows = read_table(io.BytesIO(data or f"{HEADER}\n{ROW}".encode()), name)

    assert rows == [{"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}]


@pytest.mark.parametrize("missing", ["tittel", "satsingsomrade", "sammendrag"])
def test_each_required_column_is_required(missing):
    header = ";".join(c for c in HEADER.split(";") if c != missing)

    assert refusal(f"{header}\nA;B\n".encode()) == f"Filen mangler kolonnene: {missing}."


def test_the_required_columns_are_enough_and_every_other_column_is_optional_and_read():
    optional = [
        "kortnavn",
        "mal",
        "beskrivelse",
        "strategi",
        "forventet_resultat",
        "planlagt_start",
        "planlagt_slutt",
        "ansvarlig",
        "kommuner",
        "samarbeidspartnere",
    ]
    for column in optional:
        (row,) = read_csv(f"{HEADER};{column}\n{ROW};verdi\n")
        assert row[column] == "verdi", column

    assert read_csv(f"{HEADER}\n{ROW}\n") == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}
    ]


def test_unknown_columns_are_named_with_the_allowed_ones():
    message = refusal(f"{HEADER};farge;Vekt\n{ROW};rød;3\n".encode())

    assert message.startswith("Ukjente kolonner: farge, vekt. Tillatte kolonner: tittel, ")
    assert message.endswith(", kommuner, samarbeidspartnere.")


def test_column_names_are_read_as_people_write_them():
    header = " Tittel ;Satsingsområde;SAMMENDRAG;Forventet resultat;planlagt-start;Kortnavn"
    (row,) = read_csv(f"{header}\n{ROW};Mer;2025-01-01;tiltak\n")

    assert row == {
        "tittel": "Tiltak",
        "satsingsomrade": "Reiseliv",
        "sammendrag": "Kort.",
        "forventet_resultat": "Mer",
        "planlagt_start": "2025-01-01",
        "kortnavn": "tiltak",
    }


def test_a_header_of_ae_is_read_as_ae():
    assert refusal(f"{HEADER};Særlig\n{ROW};x\n".encode()).startswith("Ukjente kolonner: saerlig.")


def test_empty_columns_in_the_header_and_blank_rows_are_left_out():
    text = f"{HEADER};;\n\nA;Reiseliv;a.;x;y\n;;\n  ;  ;  \nB;Reiseliv;b.\n\n"

    assert read_csv(text) == [
        {"tittel": "A", "satsingsomrade": "Reiseliv", "sammendrag": "a."},
        {"tittel": "B", "satsingsomrade": "Reiseliv", "sammendrag": "b."},
    ]


def test_empty_columns_anywhere_in_the_header_are_left_out_with_their_cells():
    # A table that starts in column B, and a column without a name inside it.
    text = ";tittel;satsingsomrade;;sammendrag\nx;Tiltak;Reiseliv;ikke lest;Kort.\n"

    assert read_csv(text) == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}
    ]


def test_cells_are_trimmed_and_a_short_row_has_empty_cells():
    assert read_csv(f"{HEADER};kortnavn\n  Tiltak  ;Reiseliv\n") == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv"}
    ]


# CSV --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_taken_from_the_header(delimiter):
    header = delimiter.join([*HEADER.split(";"), "beskrivelse"])
    text = header + "\n" + delimiter.join([*ROW.split(";"), '"Ja, nei; kanskje"']) + "\n"

    (row,) = read_csv(text)

    assert row["beskrivelse"] == "Ja, nei; kanskje"


def test_a_header_without_a_delimiter_is_read_as_comma_separated():
    assert refusal(b"tittel\nA\n") == "Filen mangler kolonnene: satsingsomrade, sammendrag."


def test_a_byte_order_mark_is_no_part_of_the_first_column():
    assert read_table(io.BytesIO(f"\ufeff{HEADER}\n{ROW}".encode()), "plan.csv")[0]["tittel"] == (
        "Tiltak"
    )


def test_a_csv_file_that_is_not_utf8_is_refused():
    data = f"{HEADER}\nBåt;Reiseliv;Kort.\n".encode("latin-1")

    assert refusal(data) == "CSV-filen må være lagret som UTF-8."


def test_a_broken_csv_file_is_named_by_its_line():
    long_cell = "x" * 200_000
    data = f"{HEADER}\n{ROW}\nB;Reiseliv;{long_cell}\n".encode()

    assert refusal(data) == (
        "CSV-filen kunne ikke leses ved linje 3: en celle er for lang eller feil."
    )


def test_a_cell_of_128_kb_is_read_and_a_longer_one_is_refused():
    longest = "x" * CELL

    (row,) = read_csv(f"{HEADER};beskrivelse\n{ROW};{longest}\n")

    assert row["beskrivelse"] == longest
    assert refusal(f"{HEADER}\n{ROW}\nB;Reiseliv;{longest}x\n".encode()) == (
        "CSV-filen kunne ikke leses ved linje 3: en celle er for lang eller feil."
    )


def test_the_cell_limit_holds_when_another_library_raised_the_csv_modules_own():
    """The csv module's limit is process-wide, and some libraries raise it."""
    before = csv.field_size_limit(10 * FIVE_MB)
    try:
        message = refusal(f"{HEADER}\n{ROW}\nB;Reiseliv;{'x' * (CELL + 1)}\n".encode())
    finally:
        csv.field_size_limit(before)

    assert message == "CSV-filen kunne ikke leses ved linje 3: en celle er for lang eller feil."


# Excel ------------------------------------------------------------------------------------------


def test_an_excel_sheet_gives_dates_as_dates_numbers_as_text_and_formulas_as_their_values():
    header = [*HEADER.split(";"), "planlagt_start", "planlagt_slutt", "kortnavn"]
    data = xlsx(
        [header, ["Tiltak", "Reiseliv", "plassholder", dt.datetime(2025, 3, 1), None, 42]],  # noqa: DTZ001
        patch={
            "C2": '<c r="C2" t="str"><f>CONCAT("Kort",".")</f><v>Kort.</v></c>',
        },
    )

    assert read_table(io.BytesIO(data), "plan.xlsx") == [
        {
            "tittel": "Tiltak",
            "satsingsomrade": "Reiseliv",
            "sammendrag": "Kort.",  # the value Excel computed, never the formula
            "planlagt_start": "2025-03-01",
            "planlagt_slutt": "",
            "kortnavn": "42",
        }
    ]


def test_only_the_first_sheet_is_read():
    workbook = Workbook()
    plan = workbook.active
    assert plan is not None
    plan.append(HEADER.split(";"))
    plan.append(ROW.split(";"))
    notes = workbook.create_sheet("Forklaring")
    notes.append(["tittel", "satsingsomrade", "sammendrag"])
    notes.append(["Ikke et tiltak", "Reiseliv", "Bare en forklaring."])
    data = io.BytesIO()
    workbook.save(data)

    assert read_table(io.BytesIO(data.getvalue()), "plan.xlsx") == [
        {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort."}
    ]


def test_a_cell_is_text():
    assert _cell(None) == ""
    assert _cell(dt.date(2025, 3, 1)) == "2025-03-01"
    assert _cell(dt.datetime(2025, 3, 1, 23, 59)) == "2025-03-01"  # noqa: DTZ001 - as Excel
    assert _cell("  tekst ") == "tekst"
    assert _cell(1.5) == "1.5"


@pytest.mark.parametrize(
    "data",
    [b"not a zip", zip_of(10)],
    ids=["not a zip archive", "a zip archive that is no workbook"],
)
def test_a_broken_excel_file_is_refused(data):
    assert refusal(data, "plan.xlsx") == "Excel-filen kunne ikke leses."


def test_an_excel_sheet_broken_inside_is_refused_while_it_is_read():
    data = xlsx(
        [HEADER.split(";"), ROW.split(";")],
        patch={"A2": '<c r="A2" t="n"><v>ikke et tall</v></c>'},
    )

    assert refusal(data, "plan.xlsx") == "Excel-filen kunne ikke leses."


# The rows against the plan -----------------------------------------------------------------------


@pytest.fixture
def plan(db: None) -> dict[str, Any]:
    area = FocusAreaFactory(name="Reiseliv", slug="reiseliv")
    other_area = FocusAreaFactory(name="Kompetanse", slug="kompetanse")
    return {
        "area": area,
        "goal": GoalFactory(focus_area=area, title="Flere besøkende"),
        "other_goal": GoalFactory(focus_area=other_area, title="Flere lærlinger"),
        "person": PersonFactory(name="Per Plan"),
        "harstad": MunicipalityFactory(name="Harstad", slug="harstad"),
        "narvik": MunicipalityFactory(name="Narvik", slug="narvik"),
        "partner": OrganisationFactory(name="Visit Harstad", short_name="VH", slug="visit"),
        "other_partner": OrganisationFactory(name="Hålogalandsrådet", slug="halogalandsradet"),
    }


def row(**cells: str) -> dict[str, str]:
    return {"tittel": "Tiltak", "satsingsomrade": "Reiseliv", "sammendrag": "Kort.", **cells}


def errors(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_good_row_becomes_an_import_row_with_the_plans_keys(plan):
    MeasureFactory(slug="finnes")
    result = validate_rows(
        [
            row(
                tittel="Vertskap for reiseliv",
                satsingsomrade="REISELIV",
                mal="flere besøkende",
                beskrivelse="Om.",
                strategi="Slik.",
                forventet_resultat="Mer.",
                planlagt_start="01.02.2025",
                planlagt_slutt="2025-02-01",
                ansvarlig="per plan",
                kommuner="Harstad; narvik,",
                samarbeidspartnere="VH, visit; Hålogalandsrådet",
            ),
            row(tittel="Finnes", satsingsomrade="reiseliv", kortnavn="finnes"),
        ]
    )

    assert result.errors == []
    assert result.ok
    first, second = result.rows
    assert first.row == 2
    assert (first.slug, first.title, first.exists) == (
        "vertskap-for-reiseliv",
        "Vertskap for reiseliv",
        False,
    )
    assert (first.focus_area_id, first.goal_id) == (plan["area"].pk, plan["goal"].pk)
    assert (first.summary, first.description) == ("Kort.", "Om.")
    assert (first.strategy, first.expected_result) == ("Slik.", "Mer.")
    assert (first.planned_start, first.planned_end) == ("2025-02-01", "2025-02-01")
    assert first.responsible_id == plan["person"].pk
    assert first.municipality_ids == [plan["harstad"].pk, plan["narvik"].pk]
    assert first.partner_ids == [plan["partner"].pk] * 2 + [plan["other_partner"].pk]
    assert (second.row, second.slug, second.exists) == (3, "finnes", True)
    assert (second.goal_id, second.responsible_id, second.planned_start) == (None, None, None)
    assert (second.description, second.municipality_ids, second.partner_ids) == ("", [], [])


def test_every_problem_is_named_by_row_and_column(plan):
    result = validate_rows(
        [
            row(),
            row(
                tittel="",
                satsingsomrade="Fiske",
                sammendrag="",
                mal="Flere lærlinger",  # a goal of another focus area
                planlagt_start="2025-13-01",
                planlagt_slutt="i morgen",
                ansvarlig="Ola Ukjent",
                kommuner="Harstad;Oslo",
                samarbeidspartnere="VH;Ukjent AS",
            ),
            row(tittel="Nul\x00tegn", beskrivelse="Tab\tog\nlinjeskift\r\ner lov"),
            row(mal="Flere lærlinger", planlagt_start="2025-06-01", planlagt_slutt="2025-05-31"),
            row(tittel="Fiske", satsingsomrade="Fiske"),
            row(tittel="", kortnavn="uten-tittel"),
        ]
    )

    assert errors(result) == [
        (3, "tittel", "Tittel mangler."),
        (3, "kortnavn", "Kortnavn mangler og kan ikke lages av tittelen."),
        (3, "satsingsomrade", "Ukjent satsingsområde «Fiske»."),
        (3, "mal", "Målet «Flere lærlinger» finnes ikke i satsingsområdet."),
        (3, "sammendrag", "Sammendrag mangler."),
        (3, "planlagt_start", "Ugyldig dato «2025-13-01»; bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
        (3, "planlagt_slutt", "Ugyldig dato «i morgen»; bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
        (3, "ansvarlig", "Ukjent person «Ola Ukjent»."),
        (3, "kommuner", "Ukjent kommune «Oslo»."),
        (3, "samarbeidspartnere", "Ukjent organisasjon «Ukjent AS»."),
        (4, "tittel", "Cellen inneholder kontrolltegn (for eksempel NUL)."),
        (5, "kortnavn", "Kortnavnet «tiltak» er brukt på rad 2 også."),
        (5, "mal", "Målet «Flere lærlinger» finnes ikke i satsingsområdet."),
        (5, "planlagt_slutt", "Planlagt slutt er før planlagt start."),
        (6, "satsingsomrade", "Ukjent satsingsområde «Fiske»."),
        (7, "tittel", "Tittel mangler."),
    ]
    assert not result.ok
    # A row is kept for the preview only when it has a title, a focus area and a slug.
    assert [r.row for r in result.rows] == [2, 4, 5]


def test_a_title_of_300_characters_is_allowed_and_301_is_not(plan):
    result = validate_rows([row(tittel="a" * 300), row(tittel="b" * 301)])

    assert errors(result) == [(3, "tittel", "Tittelen er lengre enn 300 tegn.")]
    assert [len(r.slug) for r in result.rows] == [120, 120]  # a slug made short enough


@pytest.mark.parametrize("slug", ["Store-Bokstaver", "med mellomrom", "æøå", "-"])
def test_a_slug_must_be_a_slug(plan, slug):
    result = validate_rows([row(kortnavn=slug)])

    message = "Kortnavnet kan bare ha små bokstaver a–z, tall og bindestrek."
    assert errors(result) == [(2, "kortnavn", message)]


def test_a_slug_given_is_used_and_a_planned_end_on_the_start_day_is_allowed(plan):
    result = validate_rows(
        [row(kortnavn="eget-navn", planlagt_start="2025-05-01", planlagt_slutt="01.05.2025")]
    )

    assert result.errors == []
    assert result.rows[0].slug == "eget-navn"


def test_a_file_without_measures_is_an_error_of_the_header_row(plan):
    result = validate_rows([])

    assert result.errors == [RowError(1, "", "Filen har ingen rader med tiltak.")]
    assert not result.ok


def test_an_imported_file_counts_the_new_and_the_updated_measures(plan):
    MeasureFactory(slug="finnes", title="Gammel")
    result = validate_rows([row(tittel="Ny"), row(tittel="Finnes"), row(tittel="Også ny")])

    assert [r.exists for r in result.rows] == [False, True, False]
    assert measure_import(rows=result.rows) == (2, 1)
