"""Reading a plan from a spreadsheet (CSV or Excel): parse, validate every row, then import.

A file with any bad row is rejected whole, each problem named by row and column; only a file
without problems can be imported, and then `measures.services.measure_import` writes everything in
one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from measures.models import FocusArea, Goal, Measure
from teams.models import Municipality, Organisation, Person

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
# The header may hold empty and unknown columns (named in the error) beside the known ones.
MAX_COLUMNS = 50
# Rows with content, and blank lines among them, are read up to this line; a file that goes on
# past it is refused rather than read on.
MAX_LINES = 5 * MAX_ROWS
# The delimiter is guessed from the header line, found within this many characters.
HEADER_SNIFF_CHARS = 64 * 1024
# An Excel file is a zip archive: what it may unpack to.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# The longest CSV cell (the csv module's default limit). Checked here, because the module's own
# limit is process-wide and other libraries raise it.
MAX_CELL_CHARS = 128 * 1024

# Column name in the file -> (required, meaning shown on the import page)
COLUMNS: dict[str, tuple[bool, str]] = {
    "tittel": (True, "Tiltakets tittel"),
    "satsingsomrade": (True, "Satsingsområdets navn eller kortnavn"),
    "sammendrag": (True, "Én eller to setninger om tiltaket"),
    "kortnavn": (False, "Kortnavn i adressen; lages av tittelen når feltet er tomt"),
    "mal": (False, "Målet i satsingsområdet (tittelen)"),
    "beskrivelse": (False, "Om tiltaket (Markdown)"),
    "strategi": (False, "Strategien"),
    "forventet_resultat": (False, "Det målbare resultatet"),
    "planlagt_start": (False, "Dato, ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ"),
    "planlagt_slutt": (False, "Dato, ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ"),
    "ansvarlig": (False, "Navnet på den ansvarlige personen"),
    "kommuner": (False, "Kommuner, skilt med semikolon"),
    "samarbeidspartnere": (False, "Organisasjoner, skilt med semikolon"),
}


@dataclass
class RowError:
    row: int  # the row number as a spreadsheet shows it (header is row 1)
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    slug: str
    title: str
    focus_area_id: int
    goal_id: int | None
    summary: str
    description: str
    strategy: str
    expected_result: str
    planned_start: str | None  # ISO dates, so the row survives signing as JSON
    planned_end: str | None
    responsible_id: int | None
    municipality_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    exists: bool = False


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(upload: IO[bytes], filename: str) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by normalised column name. Raises ValidationError.

    The file is read row by row and only as far as the import needs: the header row decides the
    columns (at most `MAX_COLUMNS`), and reading stops at the row limits. What a file claims about
    its own size (an Excel sheet's dimension, say «A1:XFD1048576») reserves nothing.
    """
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Filen er større enn 5 MB."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise ValidationError(_("Bruk en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))
    with closing(rows):  # an Excel file is closed also when a row is refused
        return _table(rows)


def _table(rows: Iterator[Sequence[object]]) -> list[dict[str, str]]:
    first = next(rows, None)
    if first is None:
        raise ValidationError(_("Filen er tom."))
    if any(_cell(value) for value in first[MAX_COLUMNS:]):
        raise ValidationError(_("Filen har mer enn %(max)s kolonner.") % {"max": MAX_COLUMNS})
    header = [_normalise(h) for h in first[:MAX_COLUMNS]]
    while header and not header[-1]:
        header.pop()
    missing = [c for c, (required, _meaning) in COLUMNS.items() if required and c not in header]
    if missing:
        raise ValidationError(
            _("Filen mangler kolonnene: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ValidationError(
            _("Ukjente kolonner: %(columns)s. Tillatte kolonner: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(COLUMNS)}
        )
    table: list[dict[str, str]] = []
    for number, raw in enumerate(rows, start=2):
        if number > MAX_LINES:
            raise ValidationError(
                _("Filen fortsetter forbi rad %(max)s. Fjern tomme rader under tabellen.")
                % {"max": MAX_LINES}
            )
        row = {header[i]: _cell(value) for i, value in enumerate(raw[: len(header)]) if header[i]}
        if not any(row.values()):
            continue
        if len(table) == MAX_ROWS:
            raise ValidationError(_("Filen har mer enn %(max)s rader.") % {"max": MAX_ROWS})
        table.append(row)
    return table


def _normalise(header: object) -> str:
    text = str(header or "").strip().lower()
    for a, b in (("å", "a"), ("ø", "o"), ("æ", "ae"), (" ", "_"), ("-", "_")):
        text = text.replace(a, b)
    return text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Generator[Sequence[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("CSV-filen må være lagret som UTF-8.")) from error
    # Only the delimiter is guessed, and from the header line alone: the rows below may hold any
    # punctuation (a description full of commas and quotes made the sniffer pick «,» in a «;»
    # file). Quoting is Excel's, as every spreadsheet program writes it.
    header = next(iter(text[:HEADER_SNIFF_CHARS].splitlines()), "")
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return _csv_reader(io.StringIO(text, newline=""), delimiter)


def _csv_reader(source: IO[str], delimiter: str) -> Generator[Sequence[object]]:
    reader = csv.reader(source, csv.excel, delimiter=delimiter)
    unreadable = _(
        "CSV-filen kunne ikke leses ved linje %(line)s: en celle er for lang eller feil."
    )
    try:
        for row in reader:
            if any(len(cell) > MAX_CELL_CHARS for cell in row):
                raise ValidationError(unreadable % {"line": reader.line_num})
            yield row[: MAX_COLUMNS + 1]
    except csv.Error as error:  # a broken file, or a cell over the csv module's own limit
        raise ValidationError(unreadable % {"line": reader.line_num}) from error


def _xlsx_rows(data: bytes) -> Generator[Sequence[object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(_("Excel-filen kunne ikke leses.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        # A few megabytes that unpack to gigabytes: openpyxl reads some parts whole.
        raise ValidationError(_("Excel-filen er for stor når den pakkes ut."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("Excel-filen kunne ikke leses.")) from error
    return _xlsx_reader(workbook)


def _xlsx_reader(workbook: Any) -> Generator[Sequence[object]]:
    # Read-only mode streams the sheet; `max_col` keeps each row as wide as the import can use,
    # whatever width the sheet's dimension claims (without it every row is padded to that width).
    try:
        yield from workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    except Exception as error:  # a broken sheet shows only while it is read
        raise ValidationError(_("Excel-filen kunne ikke leses.")) from error
    finally:
        workbook.close()


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(value)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\t\n\r"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def validate_rows(rows: list[dict[str, str]]) -> ImportResult:
    """Check every row against the plan; collect every problem instead of stopping at the first."""
    areas = list(FocusArea.objects.all())
    goals = list(Goal.objects.all())
    municipalities = list(Municipality.objects.all())
    organisations = list(Organisation.objects.all())
    people = list(Person.objects.all())
    existing = set(Measure.objects.values_list("slug", flat=True))

    def by_name(items: list[Any], value: str, attrs: tuple[str, ...]) -> Any:
        wanted = value.strip().lower()
        return next(
            (i for i in items if any(str(getattr(i, a)).lower() == wanted for a in attrs)), None
        )

    result = ImportResult(rows=[], errors=[])
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):

        def error(column: str, message: str, index: int = index) -> None:
            result.errors.append(RowError(index, column, message))

        for column, cell in raw.items():
            if any(_is_control(c) for c in cell):
                # PostgreSQL refuses NUL in text; the others are never meant either.
                error(column, _("Cellen inneholder kontrolltegn (for eksempel NUL)."))

        title = raw.get("tittel", "")
        if not title:
            error("tittel", _("Tittel mangler."))
        elif len(title) > 300:
            error("tittel", _("Tittelen er lengre enn 300 tegn."))
        slug = raw.get("kortnavn") or slugify(title)[:120]
        if raw.get("kortnavn") and slugify(raw["kortnavn"]) != raw["kortnavn"]:
            error("kortnavn", _("Kortnavnet kan bare ha små bokstaver a–z, tall og bindestrek."))
        elif not slug:
            error("kortnavn", _("Kortnavn mangler og kan ikke lages av tittelen."))
        elif slug in seen:
            error(
                "kortnavn",
                _("Kortnavnet «%(slug)s» er brukt på rad %(row)s også.")
                % {"slug": slug, "row": seen[slug]},
            )
        seen.setdefault(slug, index)

        area = by_name(areas, raw.get("satsingsomrade", ""), ("name", "slug"))
        if area is None:
            error(
                "satsingsomrade",
                _("Ukjent satsingsområde «%(value)s».") % {"value": raw.get("satsingsomrade", "")},
            )
        goal = None
        if raw.get("mal"):
            goal = next(
                (
                    g
                    for g in goals
                    if g.title.lower() == raw["mal"].lower() and area and g.focus_area_id == area.pk
                ),
                None,
            )
            if goal is None:
                error(
                    "mal",
                    _("Målet «%(value)s» finnes ikke i satsingsområdet.") % {"value": raw["mal"]},
                )
        if not raw.get("sammendrag"):
            error("sammendrag", _("Sammendrag mangler."))

        dates: dict[str, dt.date | None] = {}
        for column in ("planlagt_start", "planlagt_slutt"):
            try:
                dates[column] = _date(raw.get(column, ""))
            except ValueError:
                dates[column] = None
                error(
                    column,
                    _("Ugyldig dato «%(value)s»; bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ.")
                    % {"value": raw[column]},
                )
        start, end = dates.get("planlagt_start"), dates.get("planlagt_slutt")
        if start and end and end < start:
            error("planlagt_slutt", _("Planlagt slutt er før planlagt start."))

        responsible = None
        if raw.get("ansvarlig"):
            responsible = by_name(people, raw["ansvarlig"], ("name",))
            if responsible is None:
                error("ansvarlig", _("Ukjent person «%(value)s».") % {"value": raw["ansvarlig"]})
        municipality_ids = []
        for name in _split(raw.get("kommuner", "")):
            found = by_name(municipalities, name, ("name", "slug"))
            if found is None:
                error("kommuner", _("Ukjent kommune «%(value)s».") % {"value": name})
            else:
                municipality_ids.append(found.pk)
        partner_ids = []
        for name in _split(raw.get("samarbeidspartnere", "")):
            found = by_name(organisations, name, ("name", "short_name", "slug"))
            if found is None:
                error("samarbeidspartnere", _("Ukjent organisasjon «%(value)s».") % {"value": name})
            else:
                partner_ids.append(found.pk)

        if area is not None and title and slug:
            result.rows.append(
                ImportRow(
                    row=index,
                    slug=slug,
                    title=title,
                    focus_area_id=area.pk,
                    goal_id=goal.pk if goal else None,
                    summary=raw.get("sammendrag", ""),
                    description=raw.get("beskrivelse", ""),
                    strategy=raw.get("strategi", ""),
                    expected_result=raw.get("forventet_resultat", ""),
                    planned_start=start.isoformat() if start else None,
                    planned_end=end.isoformat() if end else None,
                    responsible_id=responsible.pk if responsible else None,
                    municipality_ids=municipality_ids,
                    partner_ids=partner_ids,
                    exists=slug in existing,
                )
            )
    if not rows:
        result.errors.append(RowError(1, "", _("Filen har ingen rader med tiltak.")))
    return result
