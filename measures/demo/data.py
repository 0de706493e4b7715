"""The demo programme itself: Drivkraft in Hålogalandsrådet, 2018–2021.

Long on purpose: this is data. The programme, goals, municipalities, partners and measure titles
are the real ones; everything about people is made up and marked as such.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from measures.demo.specs import (
    BodySpec,
    DecisionSpec,
    FocusAreaSpec,
    IndicatorSpec,
    MeasureSpec,
    MemberSpec,
    MilestoneSpec,
    MunicipalitySpec,
    OrganisationSpec,
    PersonSpec,
    SubGoalSpec,
    d,
    figures,
    u,
)
from measures.status import Status
from teams.models import BodyKind, OrganisationKind, Region

# --- The programme -------------------------------------------------------------------------------

PROGRAMME_SLUG = "drivkraft"
OWNER_SLUG = "halogalandsradet"

PROGRAMME: dict[str, Any] = {
    "name": "Strategisk næringsrettet kommunesamarbeid – Program Drivkraft",
    "short_name": "Program Drivkraft",
    "start": d("2018-11-01"),
    "end": d("2021-12-31"),
    "project_goal": (
        "Styrke Sør-Troms-kommunenes (utvidet til Hålogalands) evne til å planlegge, "
        "samarbeide og gjennomføre utviklingstiltak"
    ),
    "effect_goal": "Mer robuste næringsmiljø gjennom tettere samarbeid i regionen",
    "description": (
        "Program Drivkraft er Troms fylkeskommunes oppfølging av det nasjonale "
        "Byregionprogrammet (2014–2018). Programmet finansierer prosess og kapasitet – "
        "prosjektledelse, møter og reiser – og ber hvert prosjekt om målbare mål, måltall og "
        "forventede resultater, og om en varig samarbeidsmodell.\n\n"
        "Arbeidet startet i Sør-Troms i november 2018, og Ofoten ble med våren 2019. Fra "
        "1. januar 2020 er de åtte kommunene samlet i Hålogalandsrådet: «Åtte kommuner sammen "
        "gir en sterkere stemme». Programmet ble avsluttet i desember 2021; enkelte "
        "oppfølgingsarrangementer, som Skaperkraft-konferansen, ble holdt etter programslutt.\n\n"
        "Covid-19 flyttet mye av arbeidet over på digitale flater i 2020 og 2021."
    ),
}

SUB_GOALS: tuple[SubGoalSpec, ...] = (
    SubGoalSpec(
        1,
        "Definere målbare resultater innenfor hvert satsingsområde",
        "Re:tenk-planen, erstattet av «Plan for strategisk vekst og utvikling» fra 2020.",
        Status.COMPLETED,
        "Alle satsingsområdene har målbare resultatmål i «Plan for strategisk vekst og "
        "utvikling» (2020), og nesten alle tiltak har et målbart forventet resultat.",
    ),
    SubGoalSpec(
        2,
        "Gjennomføre utviklingstiltak",
        "Tiltakene i satsingsområdene gjennomføres i samarbeid mellom kommunene og partnerne.",
        Status.DELAYED,
        "De fleste tiltakene er gjennomført. Covid-19 flyttet mye av arbeidet til digitale "
        "møter i 2020–2021; noen tiltak er forsinket, og to er stanset.",
    ),
    SubGoalSpec(
        3,
        "Varig samarbeidsmodell for næringsutvikling i Sør-Troms",
        "Samarbeidet skal leve videre etter programperioden.",
        Status.COMPLETED,
        "JA! Næringsteamet og regionrådets administrasjon fortsetter å jobbe sammen, og felles "
        "prosjekter som regional næringskompetanse videreføres i Hålogalandsrådet.",
    ),
)

SOR_TROMS_START = d("2018-11-01")
OFOTEN_START = d("2019-04-01")

# The kommunenummer in force since 1 January 2024, when Troms og Finnmark (54xx) was split and the
# Troms municipalities got 55xx numbers; Evenes and Narvik are in Nordland (18xx). Checked against
# a copy of SSB's classification 131 as of 2026-01-01 (README, «Municipality numbers»).
MUNICIPALITIES: tuple[MunicipalitySpec, ...] = (
    MunicipalitySpec("kvaefjord", "Kvæfjord", "", Region.SOR_TROMS, SOR_TROMS_START, "5510"),
    MunicipalitySpec("harstad", "Harstad", "Hárstták", Region.SOR_TROMS, SOR_TROMS_START, "5503"),
    MunicipalitySpec("ibestad", "Ibestad", "", Region.SOR_TROMS, SOR_TROMS_START, "5514"),
    MunicipalitySpec(
        "tjeldsund", "Tjeldsund", "Dielddanuorri", Region.OFOTEN, OFOTEN_START, "5512"
    ),
    MunicipalitySpec("evenes", "Evenes", "Evenášši", Region.OFOTEN, OFOTEN_START, "1853"),
    MunicipalitySpec(
        "gratangen", "Gratangen", "Rivtták", Region.SOR_TROMS, SOR_TROMS_START, "5516"
    ),
    MunicipalitySpec("lavangen", "Lavangen", "Loabák", Region.SOR_TROMS, SOR_TROMS_START, "5518"),
    MunicipalitySpec("narvik", "Narvik", "Áhkanjárga", Region.OFOTEN, OFOTEN_START, "1806"),
)
ALL = tuple(m.slug for m in MUNICIPALITIES)


def municipality_organisation_slug(municipality_slug: str) -> str:
    return f"{municipality_slug}-kommune"


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(OWNER_SLUG, "Hålogalandsrådet", OrganisationKind.REGIONAL_COUNCIL),
    OrganisationSpec("troms-fylkeskommune", "Troms fylkeskommune", OrganisationKind.COUNTY),
    OrganisationSpec(
        "uit", "UiT Norges arktiske universitet", OrganisationKind.RESEARCH, short_name="UiT"
    ),
    OrganisationSpec("visit-harstad", "Visit Harstad", OrganisationKind.TOURISM),
    OrganisationSpec("visit-narvik", "Visit Narvik", OrganisationKind.TOURISM),
    OrganisationSpec("visit-senja", "Visit Senja", OrganisationKind.TOURISM),
    OrganisationSpec(
        "ungt-entreprenorskap", "Ungt Entreprenørskap", OrganisationKind.OTHER, short_name="UE"
    ),
    OrganisationSpec("innovasjon-norge", "Innovasjon Norge", OrganisationKind.PUBLIC_AGENCY),
    OrganisationSpec(
        "harstadregionens-naeringsforening",
        "Harstadregionens Næringsforening",
        OrganisationKind.BUSINESS,
    ),
    OrganisationSpec(
        "narvikregionens-naeringsforening",
        "Narvikregionens Næringsforening",
        OrganisationKind.BUSINESS,
    ),
    OrganisationSpec("statens-vegvesen", "Statens vegvesen", OrganisationKind.PUBLIC_AGENCY),
    OrganisationSpec("kystverket", "Kystverket", OrganisationKind.PUBLIC_AGENCY),
    *(
        OrganisationSpec(
            municipality_organisation_slug(m.slug),
            f"{m.name} kommune",
            OrganisationKind.MUNICIPALITY,
        )
        for m in MUNICIPALITIES
    ),
)

# --- People and bodies (all made up) -------------------------------------------------------------

PROJECT_LEADER = "Sigrid Berg (demo)"
MANAGING_DIRECTOR = "Tor Eriksen (demo)"
UE_ADVISER = "Ida Nordmann (demo)"
UNG_PROJECT_WORKER = "Mats Nordmann (demo)"

# One business developer per municipality, in the order of MUNICIPALITIES.
BUSINESS_TEAM: tuple[tuple[str, str], ...] = (
    ("kvaefjord", "Ola Nordmann"),
    ("harstad", "Kari Nordmann"),
    ("ibestad", "Per Hansen (demo)"),
    ("tjeldsund", "Lise Olsen (demo)"),
    ("evenes", "Nils Johansen (demo)"),
    ("gratangen", "Anne Larsen (demo)"),
    ("lavangen", "Jon Pedersen (demo)"),
    ("narvik", "Marit Nilsen (demo)"),
)
YOUTH_COUNCIL: tuple[tuple[str, str, str], ...] = (
    ("harstad", "Emma Nordmann (demo)", "Leder"),
    ("narvik", "Jonas Nordmann (demo)", "Medlem"),
    ("lavangen", "Sara Nordmann (demo)", "Medlem"),
)
FICTIONAL = "fiktiv demoperson"


def _email(name: str) -> str:
    local = name.removesuffix(" (demo)").lower().replace(" ", ".")
    return f"{local}@example.no"


def _mayor(municipality_slug: str) -> str:
    name = next(m.name for m in MUNICIPALITIES if m.slug == municipality_slug)
    return f"Ordfører i {name} (demo)"


PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec(
        PROJECT_LEADER,
        f"Prosjektleder, Hålogalandsrådet ({FICTIONAL})",
        OWNER_SLUG,
        email=_email(PROJECT_LEADER),
    ),
    PersonSpec(
        MANAGING_DIRECTOR,
        f"Daglig leder, Hålogalandsrådet ({FICTIONAL})",
        OWNER_SLUG,
        email=_email(MANAGING_DIRECTOR),
    ),
    PersonSpec(
        UE_ADVISER,
        f"Regional rådgiver, Ungt Entreprenørskap ({FICTIONAL})",
        "ungt-entreprenorskap",
        email=_email(UE_ADVISER),
    ),
    PersonSpec(
        UNG_PROJECT_WORKER,
        f"Prosjektmedarbeider UNG ({FICTIONAL})",
        municipality_organisation_slug("harstad"),
        "harstad",
    ),
    *(
        PersonSpec(
            _mayor(m.slug),
            f"Ordfører ({FICTIONAL})",
            municipality_organisation_slug(m.slug),
            m.slug,
        )
        for m in MUNICIPALITIES
    ),
    *(
        PersonSpec(
            name,
            f"Næringsutvikler ({FICTIONAL})",
            municipality_organisation_slug(slug),
            slug,
            email=_email(name),
        )
        for slug, name in BUSINESS_TEAM
    ),
    *(
        PersonSpec(
            name, f"Ungdomsrepresentant ({FICTIONAL})", municipality_organisation_slug(slug), slug
        )
        for slug, name, _role in YOUTH_COUNCIL
    ),
)

_JOINED = {m.slug: m.joined for m in MUNICIPALITIES}


def _steering_role(municipality_slug: str) -> str:
    return {"harstad": "Leder", "narvik": "Nestleder"}.get(municipality_slug, "Medlem")


BODIES: tuple[BodySpec, ...] = (
    BodySpec(
        BodyKind.STEERING_GROUP,
        "styringsgruppa",
        "Styringsgruppa",
        "Prosjekteier og styringsgruppe er Hålogalandsrådet (til 2020 Sør-Troms regionråd) ved "
        "ordførerne i de åtte kommunene. Lederen av regionrådet leder styringsgruppa.",
        tuple(MemberSpec(_mayor(m.slug), _steering_role(m.slug), m.joined) for m in MUNICIPALITIES),
    ),
    BodySpec(
        BodyKind.PROJECT_MANAGEMENT,
        "prosjektledelsen",
        "Prosjektledelsen",
        "Daglig leder i regionrådet er prosjektansvarlig, og regionrådets prosjektleder leder "
        "det daglige arbeidet i programmet.",
        (
            MemberSpec(MANAGING_DIRECTOR, "Prosjektansvarlig", SOR_TROMS_START),
            MemberSpec(PROJECT_LEADER, "Prosjektleder", SOR_TROMS_START),
        ),
    ),
    BodySpec(
        BodyKind.BUSINESS_TEAM,
        "naeringsteamet",
        "Næringsteamet",
        "Prosjekt- og arbeidsgruppa: næringsutviklerne i alle åtte kommuner. Teamet fortsetter "
        "samarbeidet med regionrådets administrasjon etter programslutt.",
        tuple(MemberSpec(name, "Medlem", _JOINED[slug]) for slug, name in BUSINESS_TEAM),
    ),
    BodySpec(
        BodyKind.YOUTH_COUNCIL,
        "ungdomsradet",
        "Regionalt ungdomsråd",
        "Ungdomsrådet gir innspill til tiltakene under satsingsområdet UNG og er med og "
        "planlegger fritidstilbud og elevdemokratiets dag.",
        tuple(MemberSpec(name, role, d("2019-10-01")) for _slug, name, role in YOUTH_COUNCIL),
    ),
)

# --- Focus areas and goals -----------------------------------------------------------------------

INNOVATION = "innovasjon-og-entreprenorskap"
COMPETENCE = "kompetanse"
YOUTH = "ung"
INFRASTRUCTURE = "infrastruktur"
TRENDS = "trender-og-fremtidsforskning"

GOAL_ENTREPRENEURS = "En region for innovatører og entreprenører"
GOAL_FIRST_LINE = "Førsteklasses førstelinjetjeneste"
GOAL_COMPETENCE = "Vekstkraftig kompetanseregion"
GOAL_DROPOUT = "Frafall på vgs. lavere enn landsgjennomsnittet"
GOAL_PRIDE = "Gi ungdommen gode minner om og stolthet for regionen"
GOAL_CONNECTED = "Infrastruktur som binder regionen sammen til ett bo- og arbeidsmarked"
GOAL_DEFENCE = "Økt verdiskapning som følge av forsvarets satsning"
GOAL_KNOWLEDGE = "Kunnskapsbasert og bærekraftig utvikling av regionen"

FOCUS_AREAS: tuple[FocusAreaSpec, ...] = (
    FocusAreaSpec(
        INNOVATION,
        "Innovasjon & entreprenørskap",
        "Flere og sterkere bedrifter i hele regionen: god hjelp til gründere i alle kommuner, "
        "samarbeid i reiselivet og møteplasser mellom etablert næringsliv og nye bedrifter.",
        (
            (
                GOAL_ENTREPRENEURS,
                "Regionen skal være et godt sted å starte, drive og utvikle bedrifter.",
            ),
            (
                GOAL_FIRST_LINE,
                "Den som vil starte bedrift, får like god veiledning uansett hvilken av de åtte "
                "kommunene hun henvender seg til.",
            ),
        ),
    ),
    FocusAreaSpec(
        COMPETENCE,
        "Kompetanse",
        "Kompetanse i næringsapparatet og i næringslivet: videreutdanning for næringsteamet, "
        "nettverksmøter og kunnskap om hvilken kompetanse bedriftene trenger.",
        (
            (
                GOAL_COMPETENCE,
                "Regionen utdanner, tiltrekker og beholder kompetansen næringslivet trenger.",
            ),
        ),
    ),
    FocusAreaSpec(
        YOUTH,
        "UNG",
        "Ungdom som fullfører skolen, får tro på egne ideer og vil bo i regionen. Tiltakene "
        "planlegges sammen med det regionale ungdomsrådet.",
        (
            (
                GOAL_DROPOUT,
                "Flere fullfører videregående opplæring, blant annet gjennom entreprenørskap i "
                "skolen og kontakt med arbeidslivet.",
            ),
            (
                GOAL_PRIDE,
                "Ungdom skal ha gode møteplasser og oppleve at de blir hørt i regionen.",
            ),
        ),
    ),
    FocusAreaSpec(
        INFRASTRUCTURE,
        "Infrastruktur",
        "Veier, bruer og havner som knytter regionen sammen. Regionrådet påvirker beslutninger "
        "hos stat og fylkeskommune med én felles stemme.",
        (
            (
                GOAL_CONNECTED,
                "Kortere reisetid mellom kommunene og sikre transportårer for næringslivet.",
            ),
        ),
    ),
    FocusAreaSpec(
        TRENDS,
        "Trender & fremtidsforskning",
        "Kunnskap om utviklingstrekk som påvirker regionen – Forsvarets satsing, sirkulærøkonomi "
        "og klima – og om hvordan næringslivet kan ta del i mulighetene.",
        (
            (
                GOAL_DEFENCE,
                "Lokale bedrifter tar del i oppdragene som følger av Forsvarets utbygging.",
            ),
            (
                GOAL_KNOWLEDGE,
                "Beslutninger i regionen bygger på forskning og kunnskap om framtidens behov.",
            ),
        ),
    ),
)

# --- Measures ------------------------------------------------------------------------------------

ON_TRACK = Status.ON_TRACK
DELAYED = Status.DELAYED
COMPLETED = Status.COMPLETED
STOPPED = Status.STOPPED
NOT_STARTED = Status.NOT_STARTED

MEASURES: tuple[MeasureSpec, ...] = (
    # Innovasjon & entreprenørskap
    MeasureSpec(
        slug="tettere-samarbeid-visit-harstad-visit-narvik",
        title=(
            "Tettere samarbeid Visit Harstad – Visit Narvik (også Visit Senja); "
            "bærekraftig besøksforvaltning"
        ),
        focus_area=INNOVATION,
        goal=GOAL_ENTREPRENEURS,
        summary=(
            "Reisemålsselskapene i regionen samarbeider om markedsføring, produkter og en felles "
            "plan for bærekraftig besøksforvaltning."
        ),
        description=(
            "Harstad, Narvik og Senja ligger innenfor et par timers kjøring fra Harstad/Narvik "
            "lufthavn Evenes, men reiselivet har markedsført seg hver for seg.\n\n"
            "Tiltaket skal:\n\n"
            "- etablere faste samarbeidsmøter mellom Visit Harstad, Visit Narvik og Visit Senja\n"
            "- utvikle felles reiselivsprodukter for vinter- og cruisesesongen\n"
            "- lage en felles plan for bærekraftig besøksforvaltning"
        ),
        strategy="Samordne reiselivet rundt flyplassen på Evenes som felles port til regionen.",
        expected_result=(
            "Samarbeidsavtale mellom tre reisemålsselskap og en vedtatt plan for bærekraftig "
            "besøksforvaltning."
        ),
        planned_start=d("2019-04-01"),
        planned_end=d("2021-06-30"),
        responsible="Kari Nordmann",
        co_owners=("Marit Nilsen (demo)",),
        municipalities=("harstad", "narvik", "evenes", "tjeldsund", "kvaefjord"),
        partners=("visit-harstad", "visit-narvik", "visit-senja", "innovasjon-norge"),
        related=("digitalisere-historiefortellingen-tore-hunds-rike",),
        history=(
            u(
                "2019-05-15",
                ON_TRACK,
                10,
                "Første fellesmøte mellom Visit Harstad og Visit Narvik holdt på Evenes. Enighet "
                "om å se på felles markedsføring mot vinterturisme.",
            ),
            u(
                "2019-11-20",
                ON_TRACK,
                30,
                "Visit Senja er med i samarbeidet. Arbeidsgruppe for bærekraftig "
                "besøksforvaltning er etablert.",
            ),
            u(
                "2020-04-15",
                DELAYED,
                35,
                "Covid-19: reiselivet er hardt rammet, og reisemålsselskapene har permittert "
                "ansatte. Felles tiltak utsettes; kontakten holdes i digitale møter.",
                "2021-12-31",
            ),
            u(
                "2021-03-10",
                DELAYED,
                55,
                "Arbeidet med planen for bærekraftig besøksforvaltning er i gang igjen, digitalt. "
                "Fortsatt usikkert hvordan sesongen 2021 blir.",
            ),
            u(
                "2021-11-30",
                DELAYED,
                75,
                "Planen for bærekraftig besøksforvaltning er utsatt til etter sesongen 2022 fordi "
                "reisemålsselskapene prioriterer gjenåpning etter pandemien.",
                "2022-06-30",
            ),
        ),
    ),
    MeasureSpec(
        slug="digitalisere-historiefortellingen-tore-hunds-rike",
        title="Digitalisere historiefortellingen Tore Hunds rike",
        focus_area=INNOVATION,
        goal=GOAL_ENTREPRENEURS,
        summary=(
            "Historien om Tore Hund og Bjarkøy-høvdingene gjøres tilgjengelig digitalt, som "
            "grunnlag for reiselivsprodukter og formidling."
        ),
        description=(
            "Tore Hund fra Bjarkøy er en av de mest kjente høvdingene i Hålogaland i "
            "vikingtiden. Historien er i dag spredt på bøker, skilt og lokale ildsjeler.\n\n"
            "Tiltaket samler kildene og lager en digital historievandring med kart, lyd og "
            "bilder som reiselivet og skolene kan bruke."
        ),
        strategy="Bruke regionens historie som fortrinn for reiseliv og stedsidentitet.",
        expected_result="En digital historievandring som minst to reiselivsbedrifter bruker.",
        planned_start=d("2020-01-01"),
        planned_end=d("2021-06-30"),
        responsible="Kari Nordmann",
        co_owners=("Ola Nordmann",),
        municipalities=("harstad", "kvaefjord", "ibestad"),
        partners=("visit-harstad", "uit"),
        related=("etablere-ressursgruppe-for-nasjonaljubileet-2030",),
        history=(
            u(
                "2020-02-01",
                ON_TRACK,
                10,
                "Forprosjekt startet: kartlegging av kilder, steder og eksisterende formidling.",
            ),
            u(
                "2020-10-15",
                DELAYED,
                25,
                "Covid-19 har forsinket arbeidet; samarbeidspartnerne i reiselivet har hatt "
                "redusert kapasitet. Produksjonen av innholdet er utsatt.",
                "2021-12-31",
            ),
            u(
                "2021-06-25",
                DELAYED,
                45,
                "Manus og kart for historievandringen er ferdige, men den tekniske løsningen er "
                "ikke anskaffet. Ny forventet ferdigdato er høsten 2022.",
                "2022-09-30",
            ),
        ),
    ),
    MeasureSpec(
        slug="skaperkraft-konferansen",
        title="Skaperkraft-konferansen",
        focus_area=INNOVATION,
        goal=GOAL_ENTREPRENEURS,
        summary=(
            "En regional konferanse der gründere, etablert næringsliv, skoler og virkemiddel"
            "apparatet møtes."
        ),
        description=(
            "Skaperkraft samler hele Hålogaland til én dag om å skape nye arbeidsplasser.\n\n"
            "- foredrag fra bedrifter i regionen\n"
            "- møter med Innovasjon Norge og andre virkemiddelaktører\n"
            "- ungdomsbedrifter fra Ungt Entreprenørskap viser seg fram"
        ),
        strategy="Bygge en felles møteplass for næringslivet i hele regionen.",
        expected_result="Minst 50 bedrifter deltar på konferansen.",
        planned_start=d("2020-02-01"),
        planned_end=d("2020-11-30"),
        responsible="Kari Nordmann",
        co_owners=("Marit Nilsen (demo)", UE_ADVISER),
        municipalities=ALL,
        partners=(
            "innovasjon-norge",
            "ungt-entreprenorskap",
            "uit",
            "harstadregionens-naeringsforening",
            "narvikregionens-naeringsforening",
        ),
        related=("bidra-til-at-ungt-entreprenorskap-far-en-fast-representant",),
        history=(
            u(
                "2020-02-15",
                ON_TRACK,
                10,
                "Planleggingen er startet sammen med næringsforeningene i Harstad og Narvik.",
            ),
            u(
                "2020-06-10",
                DELAYED,
                15,
                "Covid-19: konferansen kan ikke holdes fysisk høsten 2020 og er utsatt ett år.",
                "2021-11-30",
            ),
            u(
                "2021-09-20",
                DELAYED,
                40,
                "Utsatt igjen på grunn av smittesituasjonen. Ny dato er 23. februar 2022.",
                "2022-02-28",
            ),
            u(
                "2022-01-25",
                DELAYED,
                80,
                "Program og foredragsholdere er klare, og over 60 bedrifter er påmeldt. "
                "Konferansen holdes 23. februar 2022, et drøyt år etter den opprinnelige planen.",
            ),
            u(
                "2022-02-23",
                COMPLETED,
                100,
                "Skaperkraft-konferansen ble holdt 23. februar 2022 med deltakere fra hele "
                "Hålogaland.",
            ),
        ),
    ),
    MeasureSpec(
        slug="regional-naeringskompetanse",
        title="Regional næringskompetanse",
        focus_area=INNOVATION,
        goal=GOAL_FIRST_LINE,
        summary=(
            "Kommunene deler næringskompetanse, så også de minste kommunene har tilgang til "
            "en erfaren næringsrådgiver."
        ),
        description=(
            "Flere av kommunene har under én stilling til næringsutvikling. Tiltaket utvikler en "
            "modell der kommunene kjøper og deler kompetanse fra hverandre.\n\n"
            "Tiltaket er en del av den varige samarbeidsmodellen og videreføres etter "
            "programslutt."
        ),
        strategy="Dele spisskompetanse mellom kommunene i stedet for å bygge den åtte ganger.",
        expected_result="En avtale om delt næringsrådgivning som gjelder minst tre kommuner.",
        planned_start=d("2020-01-01"),
        planned_end=d("2022-12-31"),
        responsible=MANAGING_DIRECTOR,
        co_owners=(PROJECT_LEADER, "Lise Olsen (demo)"),
        municipalities=ALL,
        partners=("innovasjon-norge", "troms-fylkeskommune"),
        related=("felles-veileder-for-forstelinjetjenesten",),
        history=(
            u(
                "2020-01-15",
                ON_TRACK,
                10,
                "Forprosjekt: hvordan de minste kommunene kan kjøpe næringskompetanse av "
                "hverandre.",
            ),
            u(
                "2020-09-01",
                ON_TRACK,
                30,
                "En modell for delt næringsrådgivning er skissert og drøftet i næringsteamet.",
            ),
            u(
                "2021-06-10",
                ON_TRACK,
                50,
                "Avtale om felles næringsrådgiver for Gratangen, Lavangen og Ibestad er til "
                "politisk behandling.",
            ),
            u(
                "2022-01-20",
                ON_TRACK,
                60,
                "Tiltaket videreføres etter programslutt som fast samarbeid i Hålogalandsrådet.",
            ),
        ),
    ),
    MeasureSpec(
        slug="felles-veileder-for-forstelinjetjenesten",
        title="Felles veileder for førstelinjetjenesten i kommunene",
        focus_area=INNOVATION,
        goal=GOAL_FIRST_LINE,
        summary="En felles veileder og sjekkliste for hvordan kommunene tar imot gründere.",
        description=(
            "Den som vil starte bedrift, skal få samme gode hjelp i alle åtte kommuner.\n\n"
            "Næringsteamet sammenligner dagens praksis, lager en felles veileder og avtaler "
            "hvordan gründere henvises videre til virkemiddelapparatet."
        ),
        strategy="Lik og god førstelinjetjeneste i alle kommunene.",
        expected_result="Veilederen er tatt i bruk i alle åtte kommuner.",
        planned_start=d("2019-09-01"),
        planned_end=d("2020-06-30"),
        responsible="Ola Nordmann",
        co_owners=("Anne Larsen (demo)", "Per Hansen (demo)"),
        municipalities=ALL,
        partners=("innovasjon-norge",),
        history=(
            u(
                "2019-09-20",
                ON_TRACK,
                15,
                "Næringsteamet har sammenlignet hvordan kommunene tar imot gründere i dag.",
            ),
            u(
                "2020-03-25",
                ON_TRACK,
                50,
                "Veilederen skrives om for digital veiledning mens kontorene er stengt under "
                "Covid-19.",
            ),
            u(
                "2020-06-26",
                COMPLETED,
                100,
                "Veileder og sjekkliste er tatt i bruk i alle åtte kommuner, og henvisningene til "
                "Innovasjon Norge er samordnet.",
            ),
        ),
    ),
    # Kompetanse
    MeasureSpec(
        slug="videreutdanning-i-stedsutvikling",
        title="Videreutdanning i stedsutvikling (UiT) for næringsteamet",
        focus_area=COMPETENCE,
        goal=GOAL_COMPETENCE,
        summary=(
            "Næringsutviklerne i kommunene tar videreutdanning i stedsutvikling ved UiT, våren "
            "og høsten 2019."
        ),
        description=(
            "Studiet gis av UiT Norges arktiske universitet og tas ved siden av jobben.\n\n"
            "Deltakerne skriver oppgaver om konkrete stedsutviklingsprosjekter i egne "
            "kommuner, så studiet gir nytte for kommunene med én gang."
        ),
        strategy="Heve kompetansen i næringsapparatet i alle kommunene samtidig.",
        expected_result="Sju næringsutviklere fullfører videreutdanningen i 2019.",
        planned_start=d("2019-01-14"),
        planned_end=d("2019-12-20"),
        responsible=PROJECT_LEADER,
        co_owners=("Ola Nordmann", "Anne Larsen (demo)"),
        municipalities=ALL,
        partners=("uit",),
        related=("kompetansekartlegging-av-naeringsteamet", "studietur-til-bodo"),
        history=(
            u(
                "2019-01-20",
                ON_TRACK,
                15,
                "Næringsteamet har startet på videreutdanningen ved UiT i Harstad (vårsemesteret).",
            ),
            u(
                "2019-06-20",
                ON_TRACK,
                50,
                "Vårsemesteret er fullført. Ofoten-kommunene er invitert med fra høsten.",
            ),
            u(
                "2019-12-18",
                COMPLETED,
                100,
                "Høstsemesteret er fullført med eksamen, og alle deltakerne har bestått.",
            ),
        ),
    ),
    MeasureSpec(
        slug="kompetansekartlegging-av-naeringsteamet",
        title="Kompetansekartlegging av næringsteamet",
        focus_area=COMPETENCE,
        goal=GOAL_COMPETENCE,
        summary="Kartlegging av kompetansen og kompetansebehovet i næringsteamet, desember 2019.",
        description=(
            "Før planen for 2020 kartlegges hva næringsteamet kan, og hva teamet mangler.\n\n"
            "Resultatet brukes til å velge tema for nettverksmøtene og kurs i 2020."
        ),
        strategy="Målrettet kompetanseheving ut fra kartlagte behov.",
        expected_result="Kartlegging med svar fra alle åtte kommuner.",
        planned_start=d("2019-11-01"),
        planned_end=d("2019-12-31"),
        responsible=PROJECT_LEADER,
        co_owners=("Nils Johansen (demo)",),
        municipalities=ALL,
        related=("samarbeidsarenaer-nettverksmoter-og-kompetanseheving",),
        history=(
            u(
                "2019-11-05",
                ON_TRACK,
                20,
                "Spørreskjema er sendt til næringsutviklerne i alle åtte kommuner.",
            ),
            u(
                "2019-12-16",
                COMPLETED,
                100,
                "Kartleggingen er gjennomført. Den viser behov for kompetanse i prosjektledelse, "
                "søknadsskriving og digitale tjenester.",
            ),
        ),
    ),
    MeasureSpec(
        slug="studietur-til-bodo",
        title="Studietur til Bodø",
        focus_area=COMPETENCE,
        goal=GOAL_COMPETENCE,
        summary="Næringsteamet besøker Bodø for å lære av regionalt samarbeid og byutvikling.",
        description=(
            "Studieturen gir næringsteamet og administrasjonen innblikk i hvordan en annen "
            "region i Nord-Norge samarbeider om næringsutvikling.\n\n"
            "Turen var planlagt våren 2020, ble avlyst på grunn av Covid-19 og ble gjennomført "
            "i november 2021."
        ),
        strategy="Lære av andre regioner.",
        expected_result="Et erfaringsnotat med minst tre ideer som prøves ut i regionen.",
        planned_start=d("2020-04-01"),
        planned_end=d("2020-04-30"),
        responsible=PROJECT_LEADER,
        co_owners=("Per Hansen (demo)", "Jon Pedersen (demo)"),
        municipalities=ALL,
        related=("samarbeidsarenaer-nettverksmoter-og-kompetanseheving",),
        history=(
            u(
                "2020-02-10",
                ON_TRACK,
                20,
                "Programmet planlegges sammen med næringsapparatet i Bodø.",
            ),
            u(
                "2020-03-13",
                STOPPED,
                20,
                "Studieturen er avlyst på grunn av Covid-19 og reiserådene. Den tas opp igjen når "
                "det er trygt å reise.",
            ),
            u(
                "2021-08-25",
                DELAYED,
                40,
                "Ny dato er satt til november 2021, og programmet oppdateres.",
                "2021-11-30",
            ),
            u(
                "2021-11-26",
                COMPLETED,
                100,
                "Studieturen er gjennomført med 16 deltakere. Erfaringsnotatet deles i neste "
                "nettverksmøte.",
            ),
        ),
    ),
    MeasureSpec(
        slug="samarbeidsarenaer-nettverksmoter-og-kompetanseheving",
        title="Samarbeidsarenaer, nettverksmøter og kompetanseheving (digitalt og fysisk)",
        focus_area=COMPETENCE,
        goal=GOAL_COMPETENCE,
        summary=(
            "Faste nettverksmøter og samlinger for næringsteamet gjennom hele programperioden, "
            "fysisk og digitalt."
        ),
        description=(
            "Nettverksmøtene er programmets viktigste arena: her deler kommunene erfaringer, "
            "planlegger felles tiltak og lærer av hverandre.\n\n"
            "- samling hver sjette uke, på omgang mellom kommunene\n"
            "- digitale møter og webinarer fra mars 2020\n"
            "- kurs og foredrag ut fra kompetansekartleggingen"
        ),
        strategy="Faste møteplasser bygger tillit og et varig samarbeid.",
        expected_result="Minst 300 deltakere på nettverksmøter i løpet av ett år.",
        planned_start=d("2018-11-01"),
        planned_end=d("2021-12-31"),
        responsible=PROJECT_LEADER,
        co_owners=(MANAGING_DIRECTOR, "Kari Nordmann"),
        municipalities=ALL,
        partners=("troms-fylkeskommune", "innovasjon-norge", "uit"),
        history=(
            u(
                "2018-11-20",
                ON_TRACK,
                5,
                "Første samling i næringsteamet holdt i Harstad, med fast møteplan: samling hver "
                "sjette uke.",
            ),
            u(
                "2019-06-15",
                ON_TRACK,
                25,
                "Ofoten-kommunene deltar fra mai. Nettverksmøtene går på omgang mellom kommunene.",
            ),
            u(
                "2020-03-20",
                ON_TRACK,
                45,
                "Covid-19: alle samlinger flyttes til digitale møter. En periode møtes teamet "
                "hver fjortende dag for å dele erfaringer med tiltakspakkene for næringslivet.",
            ),
            u(
                "2020-12-10",
                ON_TRACK,
                65,
                "Tolv digitale nettverksmøter i 2020, med flere deltakere enn i 2019. En "
                "webinarrekke om omstilling er gjennomført.",
            ),
            u(
                "2021-09-30",
                ON_TRACK,
                85,
                "Fysiske samlinger er tatt opp igjen, med digital deltakelse som fast tilbud.",
            ),
            u(
                "2021-12-16",
                COMPLETED,
                100,
                "Tiltaket avsluttes med programmet. Nettverksmøtene videreføres i regi av "
                "Hålogalandsrådet.",
            ),
        ),
    ),
    MeasureSpec(
        slug="kartlegge-kompetansebehovet-i-naeringslivet",
        title="Kartlegge kompetansebehovet i regionens næringsliv",
        focus_area=COMPETENCE,
        goal=GOAL_COMPETENCE,
        summary=(
            "En spørreundersøkelse blant bedriftene viser hvilken kompetanse regionen mangler."
        ),
        description=(
            "Næringsforeningene, UiT og fylkeskommunen trenger et felles bilde av hva "
            "bedriftene trenger av kompetanse de neste fem årene.\n\n"
            "Kartleggingen er grunnlag for dialogen om studietilbud i regionen."
        ),
        strategy="Utdanningstilbud som svarer på næringslivets behov.",
        expected_result="Svar fra minst 300 bedrifter og en rapport med anbefalinger.",
        planned_start=d("2020-08-01"),
        planned_end=d("2021-12-31"),
        responsible="Marit Nilsen (demo)",
        co_owners=("Kari Nordmann",),
        municipalities=ALL,
        partners=(
            "uit",
            "troms-fylkeskommune",
            "harstadregionens-naeringsforening",
            "narvikregionens-naeringsforening",
        ),
        related=("leverandorutvikling-forsvarets-satsing-pa-evenes",),
        history=(
            u(
                "2020-09-10",
                ON_TRACK,
                15,
                "Spørreundersøkelsen er utarbeidet sammen med næringsforeningene.",
            ),
            u(
                "2021-02-15",
                ON_TRACK,
                45,
                "Over 300 bedrifter har svart. Størst behov for fagarbeidere, IKT og helse.",
            ),
            u(
                "2021-12-01",
                COMPLETED,
                100,
                "Rapporten er levert og brukes i dialogen med UiT og fylkeskommunen om "
                "studietilbud i regionen.",
            ),
        ),
    ),
    # UNG
    MeasureSpec(
        slug="bidra-til-at-ungt-entreprenorskap-far-en-fast-representant",
        title="Bidra til at Ungt Entreprenørskap får en fast representant ansatt i regionen",
        focus_area=YOUTH,
        goal=GOAL_DROPOUT,
        summary=(
            "Regionen bidrar til finansieringen av en fast rådgiver fra Ungt Entreprenørskap "
            "med kontorsted i regionen."
        ),
        description=(
            "Entreprenørskap i skolen gir elevene tro på egne ideer og kontakt med arbeidslivet. "
            "Med en fast representant i regionen kan flere skoler ta i bruk "
            "elevbedrift og ungdomsbedrift.\n\n"
            "Representanten ble ansatt 1. mars 2020."
        ),
        strategy="Entreprenørskap i skolen som virkemiddel mot frafall.",
        expected_result="En fast UE-representant i regionen fra 2020.",
        planned_start=d("2019-01-15"),
        planned_end=d("2020-03-31"),
        responsible=PROJECT_LEADER,
        co_owners=("Kari Nordmann",),
        municipalities=ALL,
        partners=("ungt-entreprenorskap", "troms-fylkeskommune"),
        related=("gjennomfore-elevdemokratiets-dag", "sommerjobb-for-ungdom"),
        history=(
            u(
                "2019-02-01",
                ON_TRACK,
                10,
                "Dialog med Ungt Entreprenørskap om en fast stilling med kontorsted i regionen.",
            ),
            u(
                "2019-06-12",
                ON_TRACK,
                40,
                "Styringsgruppa har vedtatt å bidra til finansieringen i tre år.",
            ),
            u(
                "2019-12-10",
                ON_TRACK,
                75,
                "Finansieringen er på plass, og stillingen er lyst ut.",
            ),
            u(
                "2020-03-02",
                COMPLETED,
                100,
                "Ungt Entreprenørskap har ansatt en fast representant i regionen fra 1. mars 2020.",
            ),
        ),
    ),
    MeasureSpec(
        slug="prosjektstilling-ung",
        title="Prosjektstilling UNG, 6 måneder i samarbeid med Harstad kommune",
        focus_area=YOUTH,
        goal=GOAL_PRIDE,
        summary=(
            "En prosjektmedarbeider i Harstad kommune kartlegger fritidstilbud og "
            "ungdomsmedvirkning i hele regionen i seks måneder."
        ),
        description=(
            "Stillingen deles mellom programmet og Harstad kommune.\n\n"
            "- kartlegge fritidstilbudene i de åtte kommunene\n"
            "- få i gang et regionalt ungdomsråd\n"
            "- gi anbefalinger til videre tiltak for ungdom"
        ),
        strategy="Ungdom skal være med og forme tiltakene som gjelder dem.",
        expected_result="Et regionalt ungdomsråd og en sluttrapport med anbefalinger.",
        planned_start=d("2019-08-01"),
        planned_end=d("2020-01-31"),
        responsible="Kari Nordmann",
        co_owners=(UNG_PROJECT_WORKER,),
        municipalities=ALL,
        partners=(municipality_organisation_slug("harstad"),),
        related=("utvikle-fritidstilbud-i-samarbeid-med-ungdommen",),
        history=(
            u(
                "2019-08-15",
                ON_TRACK,
                10,
                "Prosjektmedarbeideren er på plass i Harstad kommune.",
            ),
            u(
                "2019-10-30",
                ON_TRACK,
                50,
                "Kartleggingen av fritidstilbud pågår i alle åtte kommuner, og det regionale "
                "ungdomsrådet er konstituert.",
            ),
            u(
                "2020-01-30",
                COMPLETED,
                100,
                "Prosjektperioden er over. Sluttrapporten er lagt fram for styringsgruppa, og "
                "anbefalingene følges opp i tiltaket om fritidstilbud.",
            ),
        ),
    ),
    MeasureSpec(
        slug="utvikle-fritidstilbud-i-samarbeid-med-ungdommen",
        title="Utvikle fritidstilbud i samarbeid med ungdommen",
        focus_area=YOUTH,
        goal=GOAL_PRIDE,
        summary="Nye fritidstilbud på tvers av kommunene, planlagt sammen med ungdomsrådet.",
        description=(
            "Ungdommen ønsker flere møteplasser som ikke krever at man driver idrett.\n\n"
            "Tiltaket prøver ut felles arrangementer og klubbtreff på tvers av kommunene, og "
            "kommunene overtar tilbudene som fungerer."
        ),
        strategy="Ungdom skal være med og forme tiltakene som gjelder dem.",
        expected_result="Minst tre nye fritidstilbud som kommunene viderefører.",
        planned_start=d("2020-02-01"),
        planned_end=d("2021-06-30"),
        responsible="Anne Larsen (demo)",
        co_owners=("Jon Pedersen (demo)", "Emma Nordmann (demo)"),
        municipalities=ALL,
        history=(
            u(
                "2020-02-20",
                ON_TRACK,
                10,
                "Oppstartsmøte med ungdomsrådet: ønsker flere møteplasser uten krav om idrett.",
            ),
            u(
                "2020-04-02",
                DELAYED,
                10,
                "Covid-19: ungdomsklubbene er stengt og arrangementene avlyst. Ungdomsrådet "
                "møtes digitalt for å planlegge.",
                "2021-12-31",
            ),
            u(
                "2020-11-05",
                DELAYED,
                30,
                "Digitale tilbud (e-sportkveld og nettquiz) er prøvd ut i fem kommuner.",
            ),
            u(
                "2021-09-15",
                DELAYED,
                70,
                "Fysiske tilbud er i gang igjen: felles sommerarrangement og klubbtreff er "
                "gjennomført. Kommunene overtar tilbudene mot slutten av året, et halvt år etter "
                "planen.",
            ),
            u(
                "2021-12-20",
                COMPLETED,
                100,
                "Kommunene har overtatt fritidstilbudene. Ungdomsrådet evaluerer dem i 2022.",
            ),
        ),
    ),
    MeasureSpec(
        slug="gjennomfore-elevdemokratiets-dag",
        title="Gjennomføre elevdemokratiets dag",
        focus_area=YOUTH,
        goal=GOAL_PRIDE,
        summary="En dag der elevrådene i regionen møtes og gir innspill til politikerne.",
        description=(
            "Elevdemokratiets dag samler elevrådene fra ungdomsskolene og de videregående "
            "skolene.\n\n"
            "Innspillene går til ungdomsrådet og styringsgruppa."
        ),
        strategy="Ungdom skal bli hørt i regionen.",
        expected_result="Elevråd fra alle videregående skoler i regionen deltar.",
        planned_start=d("2020-08-15"),
        planned_end=d("2020-11-30"),
        responsible="Marit Nilsen (demo)",
        co_owners=("Emma Nordmann (demo)", UE_ADVISER),
        municipalities=ALL,
        partners=("troms-fylkeskommune", "ungt-entreprenorskap"),
        history=(
            u(
                "2020-08-20",
                ON_TRACK,
                20,
                "Elevrådene er invitert med i planleggingen.",
            ),
            u(
                "2020-10-28",
                ON_TRACK,
                60,
                "Dagen holdes digitalt på grunn av smittevernreglene, med sending fra Harstad og "
                "Narvik.",
            ),
            u(
                "2020-11-19",
                COMPLETED,
                100,
                "Elevdemokratiets dag er gjennomført digitalt med elevråd fra alle videregående "
                "skoler i regionen.",
            ),
        ),
    ),
    MeasureSpec(
        slug="etablere-ressursgruppe-for-nasjonaljubileet-2030",
        title="Etablere ressursgruppe for nasjonaljubileet 2030",
        focus_area=YOUTH,
        goal=GOAL_PRIDE,
        summary=("En ressursgruppe skal forberede regionens bidrag til nasjonaljubileet i 2030."),
        description=(
            "I 2030 markeres tusenårsjubileet for slaget på Stiklestad, der Tore Hund fra "
            "Bjarkøy var en av hovedpersonene.\n\n"
            "Ressursgruppen skal samle kommunene, skolene og kulturlivet om regionens bidrag."
        ),
        strategy="Bruke regionens historie til å skape stolthet og tilhørighet.",
        expected_result="En ressursgruppe med mandat og deltakere fra minst fem kommuner.",
        planned_start=d("2022-03-01"),
        planned_end=d("2022-12-31"),
        responsible=MANAGING_DIRECTOR,
        municipalities=("harstad", "kvaefjord", "ibestad"),
        partners=("troms-fylkeskommune", "visit-harstad"),
        history=(
            u(
                "2021-11-10",
                NOT_STARTED,
                0,
                "Styringsgruppa har bestemt at ressursgruppen etableres etter programslutt, "
                "sammen med arbeidet med Tore Hunds rike.",
            ),
        ),
    ),
    MeasureSpec(
        slug="sommerjobb-for-ungdom",
        title="Sommerjobb for ungdom i regionens bedrifter",
        focus_area=YOUTH,
        goal=GOAL_DROPOUT,
        summary="Elever i videregående skole får sommerjobb i lokale bedrifter.",
        description=(
            "En sommerjobb gir kontakt med arbeidslivet og motivasjon til å fullføre skolen.\n\n"
            "Næringsforeningene formidler plassene, og kommunene dekker en del av lønnen."
        ),
        strategy="Kontakt med arbeidslivet som virkemiddel mot frafall.",
        expected_result="Minst 30 sommerjobber for ungdom.",
        planned_start=d("2020-03-01"),
        planned_end=d("2021-08-31"),
        responsible="Jon Pedersen (demo)",
        co_owners=("Emma Nordmann (demo)",),
        municipalities=ALL,
        partners=("harstadregionens-naeringsforening", "narvikregionens-naeringsforening"),
        history=(
            u(
                "2020-03-05",
                ON_TRACK,
                10,
                "Ordningen er utarbeidet sammen med næringsforeningene.",
            ),
            u(
                "2020-04-20",
                STOPPED,
                10,
                "Stanset for sommeren 2020: bedriftene har permittert ansatte under Covid-19 og "
                "kan ikke ta imot ungdom.",
            ),
            u(
                "2021-03-01",
                ON_TRACK,
                30,
                "Ordningen er startet opp igjen for sommeren 2021 med 25 plasser.",
            ),
            u(
                "2021-08-31",
                COMPLETED,
                100,
                "38 ungdommer fikk sommerjobb i 2021. Næringsforeningene viderefører ordningen.",
            ),
        ),
    ),
    # Infrastruktur
    MeasureSpec(
        slug="sikre-gjennomforing-rv83-tjeldsund-bru-harstad",
        title="Sikre gjennomføring av fase RV83 Tjeldsund bru – Harstad",
        focus_area=INFRASTRUCTURE,
        goal=GOAL_CONNECTED,
        summary=(
            "Regionrådet arbeider for at neste fase av RV83 mellom Tjeldsund bru og Harstad "
            "blir finansiert og bygd."
        ),
        description=(
            "RV83 er hovedveien inn til Harstad fra E10 og flyplassen på Evenes.\n\n"
            "Regionrådet følger saken opp med felles uttalelser, møter med Statens vegvesen og "
            "innspill til Nasjonal transportplan."
        ),
        strategy="Én felles stemme for regionens samferdselsprioriteringer.",
        expected_result="Neste fase er prioritert og finansiert.",
        planned_start=d("2018-11-01"),
        planned_end=d("2023-12-31"),
        responsible=MANAGING_DIRECTOR,
        co_owners=("Lise Olsen (demo)", "Kari Nordmann"),
        municipalities=("harstad", "tjeldsund"),
        partners=("statens-vegvesen", "troms-fylkeskommune", "harstadregionens-naeringsforening"),
        related=(
            "pavirke-beslutning-om-kryssing-av-tjeldsundet",
            "pavirke-beslutning-om-veiaksen-tromso-lenvik-harstad",
        ),
        history=(
            u(
                "2018-12-05",
                ON_TRACK,
                10,
                "Felles uttalelse fra regionrådet om å prioritere RV83 er sendt.",
            ),
            u(
                "2019-06-20",
                ON_TRACK,
                30,
                "Møte med Statens vegvesen om framdrift og finansiering av neste fase.",
            ),
            u(
                "2020-10-01",
                ON_TRACK,
                50,
                "Digitale møter med fylkespolitikere og stortingsbenken om Nasjonal transportplan.",
            ),
            u(
                "2021-10-15",
                ON_TRACK,
                65,
                "Høringsinnspill til Nasjonal transportplan er levert. Regionrådet følger opp "
                "finansieringen i de årlige budsjettene.",
            ),
        ),
    ),
    MeasureSpec(
        slug="pavirke-beslutning-om-veiaksen-tromso-lenvik-harstad",
        title='Påvirke beslutning om veiaksen Tromsø–Lenvik–Harstad ("Kystbyregion")',
        focus_area=INFRASTRUCTURE,
        goal=GOAL_CONNECTED,
        summary=(
            "Et felles kunnskapsgrunnlag og felles innspill for en raskere veiforbindelse "
            "mellom Tromsø, Senja (Lenvik) og Harstad."
        ),
        description=(
            "Med kortere reisetid kan Tromsø, Finnsnes og Harstad fungere som én "
            "kystbyregion.\n\n"
            "Tiltaket lager et felles kunnskapsgrunnlag om bo- og arbeidsmarked og reisetider, "
            "og gir innspill til regional transportplan."
        ),
        strategy="Én felles stemme for regionens samferdselsprioriteringer.",
        expected_result="Felles innspill til regional transportplan fra de tre byregionene.",
        planned_start=d("2019-01-01"),
        planned_end=d("2021-12-31"),
        responsible=MANAGING_DIRECTOR,
        co_owners=("Ola Nordmann",),
        municipalities=("harstad", "kvaefjord"),
        partners=("troms-fylkeskommune", "harstadregionens-naeringsforening"),
        history=(
            u(
                "2019-02-15",
                ON_TRACK,
                10,
                "Kontakt med Tromsø og Lenvik om et felles kunnskapsgrunnlag.",
            ),
            u(
                "2019-11-01",
                ON_TRACK,
                35,
                "Felles notat om bo- og arbeidsmarked og reisetider er levert til fylkeskommunen.",
            ),
            u(
                "2021-05-20",
                ON_TRACK,
                70,
                "Innspill til regional transportplan er levert sammen med Tromsø og Senja.",
            ),
            u(
                "2021-12-10",
                COMPLETED,
                100,
                "Innspillene er levert og behandlet. Hålogalandsrådet følger saken videre i "
                "ordinær drift.",
            ),
        ),
    ),
    MeasureSpec(
        slug="pavirke-beslutning-om-kryssing-av-tjeldsundet",
        title="Påvirke beslutning om kryssing av Tjeldsundet, alternativ 2",
        focus_area=INFRASTRUCTURE,
        goal=GOAL_CONNECTED,
        summary="Kommunene støtter samlet alternativ 2 for ny kryssing av Tjeldsundet.",
        description=(
            "En ny kryssing av Tjeldsundet vil korte inn reisetiden mellom Harstad og "
            "flyplassen på Evenes.\n\n"
            "Kommunene i Sør-Troms og Ofoten står sammen om alternativ 2."
        ),
        strategy="Én felles stemme for regionens samferdselsprioriteringer.",
        expected_result="Alternativ 2 er valgt i planarbeidet.",
        planned_start=d("2019-04-01"),
        planned_end=d("2020-12-31"),
        responsible="Lise Olsen (demo)",
        co_owners=("Nils Johansen (demo)",),
        municipalities=("tjeldsund", "evenes", "harstad"),
        partners=("statens-vegvesen",),
        history=(
            u(
                "2019-05-10",
                ON_TRACK,
                15,
                "Kommunene i Ofoten og Sør-Troms er enige om å støtte alternativ 2.",
            ),
            u(
                "2019-12-12",
                ON_TRACK,
                40,
                "Felles høringsuttalelse er vedtatt i styringsgruppa.",
            ),
            u(
                "2020-11-25",
                STOPPED,
                40,
                "Foreløpig stanset: saken er ikke tatt inn i gjeldende planer, så det er ingen "
                "beslutning å påvirke i programperioden. Tas opp igjen ved neste rullering.",
            ),
        ),
    ),
    MeasureSpec(
        slug="sikre-utbyggingen-av-engenes-fiskerihavn",
        title="Sikre utbyggingen av Engenes fiskerihavn",
        focus_area=INFRASTRUCTURE,
        goal=GOAL_CONNECTED,
        summary=(
            "Regionrådet og Ibestad kommune arbeider for at Engenes fiskerihavn blir bygd ut."
        ),
        description=(
            "Engenes er en viktig fiskerihavn for flåten i Sør-Troms.\n\n"
            "En utbygging gir plass til større fartøy og tryggere havneforhold."
        ),
        strategy="Én felles stemme for regionens samferdselsprioriteringer.",
        expected_result="Utbyggingen er vedtatt og anleggsarbeidet startet.",
        planned_start=d("2019-01-01"),
        planned_end=d("2020-12-31"),
        responsible="Per Hansen (demo)",
        co_owners=(MANAGING_DIRECTOR,),
        municipalities=("ibestad",),
        partners=("kystverket", "troms-fylkeskommune"),
        history=(
            u(
                "2019-01-25",
                ON_TRACK,
                10,
                "Ibestad kommune og regionrådet har levert et felles innspill til Kystverket.",
            ),
            u(
                "2019-09-10",
                ON_TRACK,
                35,
                "Reguleringsplanen er under arbeid i kommunen.",
            ),
            u(
                "2020-10-20",
                DELAYED,
                50,
                "Reguleringsplanen er forsinket, og oppstarten av anlegget er skjøvet ut. "
                "Regionrådet følger opp overfor Kystverket.",
                "2022-12-31",
            ),
            u(
                "2021-11-05",
                DELAYED,
                60,
                "Reguleringsplanen er vedtatt, men anleggsstart venter på statlige bevilgninger.",
                "2023-06-30",
            ),
        ),
    ),
    # Trender & fremtidsforskning
    MeasureSpec(
        slug="leverandorutvikling-forsvarets-satsing-pa-evenes",
        title="Leverandørutvikling knyttet til Forsvarets satsing på Evenes",
        focus_area=TRENDS,
        goal=GOAL_DEFENCE,
        summary=(
            "Lokale bedrifter forberedes på å levere til utbyggingen og driften av Forsvarets "
            "base på Evenes."
        ),
        description=(
            "Forsvarets satsing på Evenes gir oppdrag i mange år framover.\n\n"
            "- leverandørkonferanse og felles leverandøroversikt\n"
            "- kurs i offentlige anskaffelser\n"
            "- nettverk for bedrifter som vil samarbeide om større kontrakter"
        ),
        strategy="Gjøre regionens bedrifter konkurransedyktige på oppdrag for Forsvaret.",
        expected_result="Minst 20 lokale bedrifter i leverandørnettverket.",
        planned_start=d("2019-06-01"),
        planned_end=d("2022-06-30"),
        responsible="Nils Johansen (demo)",
        co_owners=("Lise Olsen (demo)", "Marit Nilsen (demo)"),
        municipalities=("evenes", "tjeldsund", "harstad", "narvik"),
        partners=(
            "innovasjon-norge",
            "harstadregionens-naeringsforening",
            "narvikregionens-naeringsforening",
        ),
        history=(
            u(
                "2019-06-20",
                ON_TRACK,
                10,
                "Leverandørkonferansen planlegges sammen med næringsforeningene.",
            ),
            u(
                "2019-11-14",
                ON_TRACK,
                30,
                "Leverandørkonferansen er gjennomført, og lokale bedrifter er registrert i en "
                "felles leverandøroversikt.",
            ),
            u(
                "2020-11-05",
                ON_TRACK,
                50,
                "Digitale kurs i offentlige anskaffelser for leverandørene.",
            ),
            u(
                "2021-10-20",
                ON_TRACK,
                70,
                "Flere lokale bedrifter har fått kontrakter i utbyggingen, og nettverket "
                "videreføres.",
            ),
        ),
    ),
    MeasureSpec(
        slug="utrede-fou-innen-ressursforvaltning-resirkulering-og-avfall",
        title="Utrede FoU innen ressursforvaltning, resirkulering og avfall",
        focus_area=TRENDS,
        goal=GOAL_KNOWLEDGE,
        summary=(
            "En utredning av mulig forsknings- og utviklingssamarbeid om sirkulærøkonomi i "
            "regionen."
        ),
        description=(
            "Avfall og restråstoff kan bli ressurser for nye bedrifter.\n\n"
            "Utredningen skulle vise hvilke FoU-prosjekter UiT og næringslivet i regionen kan "
            "gjøre sammen."
        ),
        strategy="Forskning og utvikling som grunnlag for nye næringer.",
        expected_result="En utredning med forslag til minst ett FoU-prosjekt.",
        planned_start=d("2019-09-01"),
        planned_end=d("2020-12-31"),
        responsible="Nils Johansen (demo)",
        co_owners=("Marit Nilsen (demo)",),
        municipalities=ALL,
        partners=("uit",),
        related=("framtidsverksted-halogaland-2040",),
        history=(
            u(
                "2019-10-01",
                ON_TRACK,
                10,
                "Innledende møter med UiT i Narvik om et mulig FoU-samarbeid.",
            ),
            u(
                "2020-05-20",
                STOPPED,
                15,
                "Stanset: midlene er omdisponert til tiltak for næringslivet under Covid-19, og "
                "UiT har ikke kapasitet til et forprosjekt i 2020. Kan tas opp igjen i en ny "
                "programperiode.",
            ),
        ),
    ),
    MeasureSpec(
        slug="framtidsverksted-halogaland-2040",
        title="Framtidsverksted: Hålogaland 2040",
        focus_area=TRENDS,
        goal=GOAL_KNOWLEDGE,
        summary=(
            "Et verksted der politikere, næringsliv og ungdom lager scenarier for regionen i 2040."
        ),
        description=(
            "Verkstedet skal gi grunnlag for neste plan for strategisk vekst og utvikling.\n\n"
            "Ungdomsrådet deltar, fordi det er de som skal leve i regionen i 2040."
        ),
        strategy="Beslutninger som bygger på kunnskap om framtidens behov.",
        expected_result="Tre scenarier som brukes i neste regionale plan.",
        planned_start=d("2022-03-01"),
        planned_end=d("2022-10-31"),
        responsible=PROJECT_LEADER,
        municipalities=ALL,
        partners=("uit", "troms-fylkeskommune"),
        history=(
            u(
                "2022-02-01",
                NOT_STARTED,
                0,
                "Planlagt som første tiltak etter programslutt; venter på finansiering.",
            ),
        ),
    ),
    # Drafts, not published: ideas from the 2020 plan that were never decided.
    MeasureSpec(
        slug="utkast-regional-sjomatsatsing",
        title="Utkast – Regional sjømatsatsing",
        focus_area=INNOVATION,
        goal=None,
        summary="Utkast: samarbeid om rekruttering og kompetanse i sjømatnæringen.",
        description="Utkast fra arbeidet med planen for 2020. Ikke behandlet i styringsgruppa.",
        strategy="",
        expected_result="",
        planned_start=d("2022-01-01"),
        planned_end=d("2023-12-31"),
        responsible=PROJECT_LEADER,
        municipalities=("ibestad", "kvaefjord", "harstad"),
        is_published=False,
    ),
    MeasureSpec(
        slug="utkast-felles-beredskapsplan-for-naeringslivet",
        title="Utkast – Felles beredskapsplan for næringslivet",
        focus_area=TRENDS,
        goal=None,
        summary="Utkast: hvordan kommunene støtter næringslivet i en krise.",
        description=("Utkast etter erfaringene med Covid-19. Ikke behandlet i styringsgruppa."),
        strategy="",
        expected_result="",
        planned_start=d("2022-01-01"),
        planned_end=d("2022-12-31"),
        responsible=MANAGING_DIRECTOR,
        municipalities=ALL,
        is_published=False,
    ),
)

# --- Indicators ----------------------------------------------------------------------------------

DEMO_FIGURES = "Demotall, ikke offisiell statistikk."

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        name="Tiltak med målbare resultatmål",
        description=(
            "Tiltak i programmet med et målbart forventet resultat (delmål 1). Ført på dette "
            "satsingsområdet fordi en indikator hører til et tiltak eller et satsingsområde. "
            + DEMO_FIGURES
        ),
        unit="tiltak",
        baseline=Decimal(0),
        baseline_date=d("2018-11-01"),
        target=Decimal(20),
        target_date=d("2021-12-31"),
        focus_area=INNOVATION,
        values=figures(
            ("2019-06-30", "6"),
            ("2019-12-31", "11"),
            ("2020-06-30", "17", "Plan for strategisk vekst og utvikling"),
            ("2020-12-31", "19"),
            ("2021-12-31", "21"),
        ),
    ),
    IndicatorSpec(
        name="Nye foretak i regionen",
        description="Nyregistrerte foretak i de åtte kommunene per år. " + DEMO_FIGURES,
        unit="foretak per år",
        baseline=Decimal(410),
        baseline_date=d("2018-12-31"),
        target=Decimal(480),
        target_date=d("2021-12-31"),
        focus_area=INNOVATION,
        order=1,
        values=figures(
            ("2019-12-31", "425"),
            ("2020-12-31", "398", "Covid-19"),
            ("2021-12-31", "462"),
        ),
    ),
    IndicatorSpec(
        name="Frafall i videregående opplæring",
        description=(
            "Andel elever i regionen som ikke har fullført og bestått videregående opplæring "
            "innen fem år. Målet er å komme under landsgjennomsnittet. " + DEMO_FIGURES
        ),
        unit="%",
        baseline=Decimal("24.8"),
        baseline_date=d("2018-06-30"),
        target=Decimal("20.5"),
        target_date=d("2021-12-31"),
        higher_is_better=False,
        focus_area=YOUTH,
        values=figures(
            ("2019-06-30", "24.1"),
            ("2020-06-30", "22.9"),
            ("2021-06-30", "21.6"),
        ),
    ),
    IndicatorSpec(
        name="Deltakere på nettverksmøter",
        description="Deltakere på nettverksmøter og samlinger, fysisk og digitalt. " + DEMO_FIGURES,
        unit="deltakere per år",
        baseline=Decimal(0),
        baseline_date=d("2018-11-01"),
        target=Decimal(300),
        target_date=d("2021-12-31"),
        measure="samarbeidsarenaer-nettverksmoter-og-kompetanseheving",
        values=figures(
            ("2019-12-31", "184"),
            ("2020-12-31", "312", "Digitale møter"),
            ("2021-12-31", "296"),
        ),
    ),
    IndicatorSpec(
        name="Bedrifter som deltar på Skaperkraft",
        description="Påmeldte bedrifter til Skaperkraft-konferansen. " + DEMO_FIGURES,
        unit="bedrifter",
        baseline=Decimal(0),
        baseline_date=d("2021-09-20"),
        target=Decimal(50),
        target_date=d("2022-02-23"),
        measure="skaperkraft-konferansen",
        values=figures(
            ("2021-12-01", "28"),
            ("2022-01-25", "63"),
            ("2022-02-23", "74", "Konferansedagen"),
        ),
    ),
    IndicatorSpec(
        name="Elever nådd av Ungt Entreprenørskap",
        description="Elever i regionen som deltar i UE-programmer per skoleår. " + DEMO_FIGURES,
        unit="elever per skoleår",
        baseline=Decimal(450),
        baseline_date=d("2019-06-30"),
        target=Decimal(1200),
        target_date=d("2021-06-30"),
        measure="bidra-til-at-ungt-entreprenorskap-far-en-fast-representant",
        values=figures(
            ("2020-06-30", "610", "Fast representant fra 1. mars 2020"),
            ("2021-06-30", "1150"),
        ),
    ),
    IndicatorSpec(
        name="Næringsutviklere med videreutdanning i stedsutvikling",
        description="Medlemmer av næringsteamet som har fullført videreutdanningen. "
        + DEMO_FIGURES,
        unit="personer",
        baseline=Decimal(0),
        baseline_date=d("2019-01-14"),
        target=Decimal(7),
        target_date=d("2019-12-20"),
        measure="videreutdanning-i-stedsutvikling",
        values=figures(("2019-06-20", "0", "Halvveis"), ("2019-12-20", "7")),
    ),
    IndicatorSpec(
        name="Sommerjobber for ungdom",
        description="Ungdommer som fikk sommerjobb gjennom ordningen. " + DEMO_FIGURES,
        unit="sommerjobber",
        baseline=Decimal(0),
        baseline_date=d("2020-03-01"),
        target=Decimal(30),
        target_date=d("2021-08-31"),
        measure="sommerjobb-for-ungdom",
        values=figures(("2020-08-31", "0", "Stanset på grunn av Covid-19"), ("2021-08-31", "38")),
    ),
)


# Dated next steps: reached ones, one that is late (the agreement that was still in political
# treatment when the programme ended), and coming ones of the measure that goes on after it.
MILESTONES: tuple[MilestoneSpec, ...] = (
    MilestoneSpec(
        "regional-naeringskompetanse",
        "Modell for delt næringsrådgivning skissert",
        d("2020-09-30"),
        d("2020-09-01"),
        order=0,
    ),
    MilestoneSpec(
        "regional-naeringskompetanse",
        "Avtale om felles næringsrådgiver vedtatt i Gratangen, Lavangen og Ibestad",
        d("2022-06-30"),
        order=1,
    ),
    MilestoneSpec(
        "regional-naeringskompetanse",
        "Evaluering av den delte næringsrådgivningen lagt fram for Hålogalandsrådet",
        d("2027-06-30"),
        order=2,
    ),
    MilestoneSpec(
        "regional-naeringskompetanse",
        "Avtalen utvidet til minst tre nye kommuner",
        d("2027-12-31"),
        order=3,
    ),
    MilestoneSpec(
        "skaperkraft-konferansen",
        "Program og foredragsholdere klare",
        d("2022-01-31"),
        d("2022-01-25"),
        order=0,
    ),
    MilestoneSpec(
        "skaperkraft-konferansen",
        "Konferansen holdt",
        d("2022-02-23"),
        d("2022-02-23"),
        order=1,
    ),
)

# Questions for the steering group: one decided (on the timeline of Skaperkraft), one pending.
DECISIONS: tuple[DecisionSpec, ...] = (
    DecisionSpec(
        "skaperkraft-konferansen",
        "Skal konferansen utsettes på nytt, eller holdes digitalt høsten 2021?",
        d("2021-09-01"),
        d("2021-09-15"),
        "Konferansen utsettes til 23. februar 2022 og holdes fysisk i Harstad.",
    ),
    DecisionSpec(
        "regional-naeringskompetanse",
        "Skal Hålogalandsrådet finansiere den felles næringsrådgiveren videre, og hvor stor "
        "andel skal hver kommune betale?",
        d("2022-01-20"),
    ),
)
