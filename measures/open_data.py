"""The open data, described once: each dataset's fields, keys and rows.

Everything published under /data/ is made from `DATASETS`: the CSV and JSON files, their Table
Schemas in the Frictionless Data Package (`datapackage.json`), the JSON Schemas of the JSON files,
the DCAT-AP-NO catalogue that data.norge.no harvests (`measures.catalogue`), and the field tables
on the data page. A new dataset (as the milestones were) is one more `Dataset` here: its rows, its
fields and its keys; the files, the schemas and the catalogue follow.

Only public data: published, unarchived measures and what belongs to them; never an e-mail address;
of people only the names the public pages show.

Names and meanings are stable; a dataset gets new fields only at the end.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from measures import selectors
from measures.filters import MeasureFilters
from measures.models import (
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    MilestoneState,
    StatusUpdate,
)
from measures.status import Status

# Table Schema's field types that the datasets use.
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)
STATUS_VALUES = tuple(Status.values)

type Row = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: Promise
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    # Names of several things: an array in JSON, joined with "; " in CSV.
    is_list: bool = False


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    dataset: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """One table of open data, published as `<name>.csv` and `<name>.json`."""

    name: str
    title: Promise
    description: Promise
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[HttpRequest], Iterable[Row]]
    foreign_keys: tuple[ForeignKey, ...] = ()
    keywords: tuple[Promise, ...] = ()
    # The EU data themes (publications.europa.eu/resource/authority/data-theme).
    themes: tuple[str, ...] = ("ECON", "GOVE", "REGI")

    @property
    def csv_file(self) -> str:
        return f"{self.name}.csv"

    @property
    def json_file(self) -> str:
        return f"{self.name}.json"

    @property
    def json_schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


# --- Cells -----------------------------------------------------------------------------------


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _datetime(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _number(value: Decimal) -> int | float:
    """A decimal as JSON writes a number: whole numbers without decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


# --- Measures --------------------------------------------------------------------------------

MEASURE_FIELDS = (
    Field("slug", STRING, _("Tiltakets faste ID (brukes i adressen)"), required=True),
    Field("tittel", STRING, _("Tiltakets tittel"), required=True),
    Field("satsingsomrade", STRING, _("Satsingsområdet tiltaket hører til"), required=True),
    Field("mal", STRING, _("Målet tiltaket skal bidra til (kan være tomt)")),
    Field(
        "status",
        STRING,
        _("Statusverdi, se tabellen over statusverdier"),
        required=True,
        enum=STATUS_VALUES,
    ),
    Field("status_tekst", STRING, _("Statusen i klartekst"), required=True),
    Field(
        "framdrift",
        INTEGER,
        _("Framdrift i prosent, 0–100"),
        required=True,
        minimum=0,
        maximum=100,
    ),
    Field("planlagt_start", DATE, _("Planlagt start (ÅÅÅÅ-MM-DD, kan være tomt)")),
    Field(
        "planlagt_slutt",
        DATE,
        _("Planlagt slutt i den vedtatte planen (ÅÅÅÅ-MM-DD, kan være tomt)"),
    ),
    Field("forventet_slutt", DATE, _("Forventet slutt nå (ÅÅÅÅ-MM-DD, kan være tomt)")),
    Field(
        "forsinket",
        BOOLEAN,
        _("true når forventet slutt er senere enn planlagt slutt"),
        required=True,
    ),
    Field(
        "sist_oppdatert",
        DATETIME,
        _("Tidspunkt for siste statusoppdatering (ISO 8601, kan være tomt)"),
    ),
    Field("ansvarlig", STRING, _("Tiltaksansvarlig person")),
    Field("ansvarlig_organisasjon", STRING, _("Organisasjonen den ansvarlige hører til")),
    Field(
        "kommuner",
        STRING,
        _("Kommunene som deltar (navn, skilt med semikolon i CSV)"),
        is_list=True,
    ),
    Field("url", STRING, _("Adressen til tiltakets side"), required=True),
    Field("ansvarlig_kommune", STRING, _("Kommunen den ansvarlige representerer (kan være tomt)")),
)


# Measures read from the database at a time while a file is streamed: its memory stays the same
# however many measures there are.
EXPORT_CHUNK = 200


def measure_count(filters: MeasureFilters | None = None) -> int:
    return selectors.measure_list(filters=filters or MeasureFilters()).count()


def _chunks(measures: QuerySet[Measure]) -> Iterator[tuple[list[Measure], dict[int, list[str]]]]:
    """The measures `EXPORT_CHUNK` at a time, each chunk with its measures' municipalities' names
    (one query per chunk). Not `prefetch_related`: a prefetched relation ties each measure in a
    reference cycle that only the cyclic garbage collector frees, so memory grew with the file."""
    iterator = measures.prefetch_related(None).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(iterator, EXPORT_CHUNK)):
        names: dict[int, list[str]] = {measure.pk: [] for measure in chunk}
        through = Measure.municipalities.through.objects.filter(measure_id__in=names)
        for measure_id, name in through.order_by("municipality__name").values_list(
            "measure_id", "municipality__name"
        ):
            names[measure_id].append(name)
        yield chunk, names


def measure_rows(request: HttpRequest, filters: MeasureFilters | None = None) -> Iterator[Row]:
    """The public measures, as the measure list shows them for these filters (all without), read
    `EXPORT_CHUNK` at a time as they are consumed (two queries per chunk), so that the memory
    they take stays the same however many there are."""
    measures = selectors.measure_list(filters=filters or MeasureFilters())
    for chunk, municipality_names in _chunks(measures):
        yield from (_measure_row(request, m, municipality_names[m.pk]) for m in chunk)


def _measure_row(request: HttpRequest, measure: Measure, municipalities: list[str]) -> Row:
    responsible = measure.responsible
    return {
        "slug": measure.slug,
        "tittel": measure.title,
        "satsingsomrade": measure.focus_area.name,
        "mal": measure.goal.title if measure.goal else "",
        "status": measure.status,
        "status_tekst": str(Status(measure.status).label),
        "framdrift": measure.progress,
        "planlagt_start": _date(measure.planned_start),
        "planlagt_slutt": _date(measure.planned_end),
        "forventet_slutt": _date(measure.forecast_end),
        "forsinket": measure.is_delayed,
        "sist_oppdatert": _datetime(measure.last_status_update_at),
        "ansvarlig": responsible.name if responsible else "",
        "ansvarlig_organisasjon": (
            responsible.organisation.name if responsible and responsible.organisation else ""
        ),
        "kommuner": municipalities,
        "url": request.build_absolute_uri(measure.get_absolute_url()),
        "ansvarlig_kommune": (
            responsible.municipality.name if responsible and responsible.municipality else ""
        ),
    }


# --- Status updates --------------------------------------------------------------------------

STATUS_UPDATE_FIELDS = (
    Field("id", INTEGER, _("Statusoppdateringens faste ID"), required=True),
    Field("tiltak", STRING, _("Tiltakets ID (slug i tiltak.csv)"), required=True),
    Field("dato", DATE, _("Datoen statusen gjelder fra (ÅÅÅÅ-MM-DD)"), required=True),
    Field(
        "forrige_status",
        STRING,
        _("Statusverdien før oppdateringen (tom for den første)"),
        enum=STATUS_VALUES,
    ),
    Field(
        "status", STRING, _("Statusverdien etter oppdateringen"), required=True, enum=STATUS_VALUES
    ),
    Field("status_tekst", STRING, _("Statusen i klartekst"), required=True),
    Field(
        "framdrift",
        INTEGER,
        _("Framdrift i prosent, 0–100"),
        required=True,
        minimum=0,
        maximum=100,
    ),
    Field("forventet_slutt", DATE, _("Forventet slutt etter oppdateringen (kan være tomt)")),
    Field("kommentar", STRING, _("Kommentaren til oppdateringen (kan være tom)")),
    Field("rapportert_av", STRING, _("Navnet på den som rapporterte (kan være tomt)")),
    Field("registrert", DATETIME, _("Tidspunktet oppdateringen ble registrert"), required=True),
)


def status_update_rows(request: HttpRequest) -> list[Row]:
    updates: Iterable[StatusUpdate] = selectors.open_status_updates()
    return [
        {
            "id": update.pk,
            "tiltak": update.measure.slug,
            "dato": _date(update.date),
            "forrige_status": update.previous_status,
            "status": update.status,
            "status_tekst": str(Status(update.status).label),
            "framdrift": update.progress,
            "forventet_slutt": _date(update.forecast_end),
            "kommentar": update.comment,
            "rapportert_av": update.author_name,
            "registrert": _datetime(update.created_at),
        }
        for update in updates
    ]


# --- Indicators and their values ------------------------------------------------------------

INDICATOR_FIELDS = (
    Field("id", INTEGER, _("Indikatorens faste ID"), required=True),
    Field(
        "tiltak",
        STRING,
        _("Tiltaket indikatoren måler (slug i tiltak.csv; tomt for et satsingsområde)"),
    ),
    Field("satsingsomrade", STRING, _("Satsingsområdet indikatoren måler (tomt for et tiltak)")),
    Field("navn", STRING, _("Indikatorens navn"), required=True),
    Field("beskrivelse", STRING, _("Hva indikatoren måler (kan være tomt)")),
    Field("enhet", STRING, _("Enheten verdiene måles i"), required=True),
    Field("utgangsverdi", NUMBER, _("Verdien ved start"), required=True),
    Field("utgangsdato", DATE, _("Datoen for utgangsverdien (kan være tom)")),
    Field("malverdi", NUMBER, _("Målet"), required=True),
    Field("maldato", DATE, _("Datoen målet skal være nådd"), required=True),
    Field(
        "hoyere_er_bedre",
        BOOLEAN,
        _("true når et høyere tall er bedre, false når målet er å få tallet ned"),
        required=True,
    ),
)


def indicator_rows(request: HttpRequest) -> list[Row]:
    indicators: Iterable[Indicator] = selectors.open_indicators()
    return [
        {
            "id": indicator.pk,
            "tiltak": indicator.measure.slug if indicator.measure else "",
            "satsingsomrade": indicator.focus_area.name if indicator.focus_area else "",
            "navn": indicator.name,
            "beskrivelse": indicator.description,
            "enhet": indicator.unit,
            "utgangsverdi": _number(indicator.baseline),
            "utgangsdato": _date(indicator.baseline_date),
            "malverdi": _number(indicator.target),
            "maldato": _date(indicator.target_date),
            "hoyere_er_bedre": indicator.higher_is_better,
        }
        for indicator in indicators
    ]


INDICATOR_VALUE_FIELDS = (
    Field("indikator", INTEGER, _("Indikatorens ID (id i indikatorer.csv)"), required=True),
    Field("dato", DATE, _("Datoen verdien ble målt"), required=True),
    Field("verdi", NUMBER, _("Den målte verdien"), required=True),
    Field("merknad", STRING, _("Merknad til målingen (kan være tom)")),
)


def indicator_value_rows(request: HttpRequest) -> list[Row]:
    values: Iterable[IndicatorValue] = selectors.open_indicator_values()
    return [
        {
            "indikator": value.indicator_id,
            "dato": _date(value.date),
            "verdi": _number(value.value),
            "merknad": value.note,
        }
        for value in values
    ]


# --- Milestones ----------------------------------------------------------------------------

MILESTONE_STATES = tuple(MilestoneState.values)

MILESTONE_FIELDS = (
    Field("id", INTEGER, _("Milepælens faste ID"), required=True),
    Field("tiltak", STRING, _("Tiltaket milepælen hører til (slug i tiltak.csv)"), required=True),
    Field("tittel", STRING, _("Hva milepælen er"), required=True),
    Field("frist", DATE, _("Fristen for milepælen (ÅÅÅÅ-MM-DD)"), required=True),
    Field("fullfort", DATE, _("Datoen milepælen ble nådd (tom til den er nådd)")),
    Field(
        "tilstand",
        STRING,
        _(
            "nadd, forsinket (fristen er passert uten at milepælen er nådd) eller kommende, "
            "den dagen filen ble laget"
        ),
        required=True,
        enum=MILESTONE_STATES,
    ),
    Field(
        "rekkefolge",
        INTEGER,
        _("Milepælens plass i tiltakets liste (lavere først)"),
        required=True,
        minimum=0,
    ),
)


def milestone_rows(request: HttpRequest) -> list[Row]:
    today = timezone.localdate()
    milestones: Iterable[Milestone] = selectors.open_milestones()
    return [
        {
            "id": milestone.pk,
            "tiltak": milestone.measure.slug,
            "tittel": milestone.title,
            "frist": _date(milestone.due_date),
            "fullfort": _date(milestone.completed_on),
            "tilstand": milestone.state(today).value,
            "rekkefolge": milestone.order,
        }
        for milestone in milestones
    ]


# --- The datasets ----------------------------------------------------------------------------

MEASURES = Dataset(
    name="tiltak",
    title=_("Tiltakene i Program Drivkraft"),
    description=_(
        "Alle publiserte tiltak i Program Drivkraft med status, framdrift, planlagt og forventet "
        "slutt, ansvarlig og kommunene som deltar."
    ),
    fields=MEASURE_FIELDS,
    primary_key=("slug",),
    rows=measure_rows,
    keywords=(_("tiltak"), _("næringsutvikling"), _("kommunesamarbeid")),
)
STATUS_UPDATES = Dataset(
    name="statusoppdateringer",
    title=_("Statusoppdateringer for tiltakene i Program Drivkraft"),
    description=_(
        "Historikken til hvert publiserte tiltak: hver statusoppdatering med dato, status, "
        "framdrift, forventet slutt og kommentar."
    ),
    fields=STATUS_UPDATE_FIELDS,
    primary_key=("id",),
    rows=status_update_rows,
    foreign_keys=(ForeignKey(("tiltak",), "tiltak", ("slug",)),),
    keywords=(_("statusoppdatering"), _("framdrift")),
)
INDICATORS = Dataset(
    name="indikatorer",
    title=_("Indikatorer i Program Drivkraft"),
    description=_(
        "De målbare resultatene til tiltakene og satsingsområdene: utgangsverdi, mål og måldato."
    ),
    fields=INDICATOR_FIELDS,
    primary_key=("id",),
    rows=indicator_rows,
    foreign_keys=(ForeignKey(("tiltak",), "tiltak", ("slug",)),),
    keywords=(_("indikator"), _("målbart resultat")),
)
INDICATOR_VALUES = Dataset(
    name="indikatorverdier",
    title=_("Målte verdier for indikatorene i Program Drivkraft"),
    description=_("Hver måling av en indikator: dato, verdi og merknad."),
    fields=INDICATOR_VALUE_FIELDS,
    primary_key=("indikator", "dato"),
    rows=indicator_value_rows,
    foreign_keys=(ForeignKey(("indikator",), "indikatorer", ("id",)),),
    keywords=(_("indikator"), _("måling")),
)

MILESTONES = Dataset(
    name="milepaeler",
    title=_("Milepæler for tiltakene i Program Drivkraft"),
    description=_(
        "De daterte neste stegene i hvert publiserte tiltak: frist, når milepælen ble nådd, og "
        "om den er nådd, forsinket eller kommende."
    ),
    fields=MILESTONE_FIELDS,
    primary_key=("id",),
    rows=milestone_rows,
    foreign_keys=(ForeignKey(("tiltak",), "tiltak", ("slug",)),),
    keywords=(_("milepæl"), _("framdrift")),
)

# Every dataset, in the order of the data page and the catalogue. A dataset a foreign key points to
# comes before the dataset that points.
DATASETS: tuple[Dataset, ...] = (
    MEASURES,
    STATUS_UPDATES,
    INDICATORS,
    INDICATOR_VALUES,
    MILESTONES,
)
DATASETS_BY_NAME = {dataset.name: dataset for dataset in DATASETS}


# --- Writing ---------------------------------------------------------------------------------

# A spreadsheet program reads a cell that begins with one of these as a formula (=HYPERLINK(…),
# =cmd|…), whoever wrote the title. OWASP's advice («CSV Injection»): begin such a cell with a
# single quote, which the program shows as text and does not evaluate.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet will not evaluate; numbers stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(field: Field, value: Any) -> object:
    """A value as the CSV file writes it: true/false, names joined with "; ", and every text
    cell safe from spreadsheet formulas."""
    if field.type == BOOLEAN:
        return "true" if value else "false"
    if field.is_list:
        value = "; ".join(value)
    return spreadsheet_safe(value)


# A streamed file is sent in pieces of about this many characters: few writes to the socket, and
# little held at a time.
STREAM_PIECE = 32 * 1024


def iter_csv(dataset: Dataset, rows: Iterable[Row]) -> Iterator[str]:
    """The CSV file in pieces, with a byte order mark so that spreadsheet programs read it as
    UTF-8; rows are read as the pieces are taken."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=dataset.field_names)
    writer.writeheader()
    fields = dataset.fields
    for row in rows:
        writer.writerow({field.name: csv_cell(field, row[field.name]) for field in fields})
        if out.tell() >= STREAM_PIECE:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_csv(dataset: Dataset, rows: Iterable[Row]) -> str:
    """The CSV file (`iter_csv`) as one text."""
    return "".join(iter_csv(dataset, rows))


def iter_json(head: dict[str, Any], name: str, rows: Iterable[Row]) -> Iterator[str]:
    """A JSON file in pieces: the keys of `head`, then the rows as a list under `name`, indented
    as `json.dumps(..., indent=2)` would; rows are read as the pieces are taken."""
    text = json.dumps(head | {name: []}, ensure_ascii=False, indent=2)
    before, after = text.rsplit("[]", 1)
    piece = [before, "["]
    size = 0
    separator = "\n    "
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        piece.append(separator + item)
        separator = ",\n    "
        size += len(item)
        if size >= STREAM_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    piece.append("\n  ]" if separator != "\n    " else "]")
    piece.append(after)
    yield "".join(piece)
