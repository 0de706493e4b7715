from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from drivkraft.core.revision import current_revision
from measures.demo import MEASURES, SYNTHETIC_SLUG_PREFIX, load_demo
from measures.models import (
    Decision,
    Indicator,
    Measure,
    Milestone,
    MilestoneState,
    Programme,
    StatusUpdate,
)
from measures.status import Status
from teams.models import Body, BodyKind, Municipality, OrganisationKind, Person

# The measure titles published on the programme's old site (DOMAIN.md), verbatim.
DOMAIN_TITLES = [
    "Tettere samarbeid Visit Harstad – Visit Narvik (også Visit Senja); "
    "bærekraftig besøksforvaltning",
    "Bidra til at Ungt Entreprenørskap får en fast representant ansatt i regionen",
    "Prosjektstilling UNG, 6 måneder i samarbeid med Harstad kommune",
    "Videreutdanning i stedsutvikling (UiT) for næringsteamet",
    "Kompetansekartlegging av næringsteamet",
    "Studietur til Bodø",
    "Samarbeidsarenaer, nettverksmøter og kompetanseheving (digitalt og fysisk)",
    "Regional næringskompetanse",
    "Digitalisere historiefortellingen Tore Hunds rike",
    "Utvikle fritidstilbud i samarbeid med ungdommen",
    "Etablere ressursgruppe for nasjonaljubileet 2030",
    "Gjennomføre elevdemokratiets dag",
    "Utrede FoU innen ressursforvaltning, resirkulering og avfall",
    "Sikre gjennomføring av fase RV83 Tjeldsund bru – Harstad",
    'Påvirke beslutning om veiaksen Tromsø–Lenvik–Harstad ("Kystbyregion")',
    "Påvirke beslutning om kryssing av Tjeldsundet, alternativ 2",
    "Sikre utbyggingen av Engenes fiskerihavn",
    "Skaperkraft-konferansen",
]


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_loads_the_programme_with_its_sub_goals():
    load()

    programme = Programme.objects.get(is_current=True)
    assert programme.name == "Strategisk næringsrettet kommunesamarbeid – Program Drivkraft"
    assert programme.owner.name == "Hålogalandsrådet"
    assert programme.owner.kind == OrganisationKind.REGIONAL_COUNCIL
    assert (programme.start.isoformat(), programme.end.isoformat()) == ("2018-11-01", "2021-12-31")
    assert programme.project_goal.startswith("Styrke Sør-Troms-kommunenes")
    assert "robuste næringsmiljø" in programme.effect_goal
    sub_goals = list(programme.sub_goals.order_by("number"))
    assert [s.number for s in sub_goals] == [1, 2, 3]
    assert all(s.assessment for s in sub_goals)


@pytest.mark.django_db
def test_loads_municipalities_focus_areas_measures_and_indicators():
    load()

    assert Municipality.objects.count() == 8
    assert Municipality.objects.filter(region="ofoten").count() == 3
    assert Municipality.objects.get(slug="narvik").sami_name == "Áhkanjárga"
    assert Municipality.objects.get(slug="kvaefjord").sami_name == ""
    assert not Municipality.objects.exclude(website="").exists()
    assert Programme.objects.get(is_current=True).focus_areas.count() == 5
    published = Measure.objects.public().exclude(slug__startswith=SYNTHETIC_SLUG_PREFIX)
    assert published.count() >= 20
    assert Measure.objects.filter(is_published=False).count() >= 1
    titles = set(Measure.objects.values_list("title", flat=True))
    assert [t for t in DOMAIN_TITLES if t not in titles] == []
    assert Indicator.objects.count() >= 6
    assert Indicator.objects.filter(measure__isnull=False).exists()
    assert Indicator.objects.filter(focus_area__isnull=False).exists()
    assert Indicator.objects.filter(higher_is_better=False).exists()
    assert not Indicator.objects.filter(values__isnull=True).exists()


@pytest.mark.django_db
def test_every_published_measure_is_filled_in():
    load()

    for measure in Measure.objects.public():
        assert measure.summary, measure
        assert measure.description, measure
        assert measure.strategy, measure
        assert measure.expected_result, measure
        assert measure.planned_start and measure.planned_end, measure
        assert measure.responsible_id, measure
        assert measure.municipalities.exists(), measure
        assert measure.goal_id, measure
    assert Measure.objects.filter(related__isnull=False).count() >= 4
    assert Measure.objects.filter(co_owners__isnull=False).distinct().count() >= 10


@pytest.mark.django_db
def test_bodies_and_memberships():
    load()

    steering = Body.objects.get(kind=BodyKind.STEERING_GROUP)
    assert steering.memberships.count() == 8
    assert steering.memberships.filter(role="Leder").count() == 1
    assert set(steering.members.values_list("municipality__slug", flat=True)) == set(
        Municipality.objects.values_list("slug", flat=True)
    )
    management_roles = set(
        Body.objects.get(kind=BodyKind.PROJECT_MANAGEMENT).memberships.values_list(
            "role", flat=True
        )
    )
    assert management_roles == {"Prosjektleder", "Prosjektansvarlig"}
    assert Body.objects.get(kind=BodyKind.YOUTH_COUNCIL).memberships.count() >= 2

    team = Body.objects.get(kind=BodyKind.BUSINESS_TEAM)
    members = list(team.members.select_related("municipality", "organisation"))
    assert len(members) == 8
    assert len({m.municipality_id for m in members}) == 8
    for member in members:
        assert member.organisation is not None
        assert member.municipality is not None
        assert member.organisation.kind == OrganisationKind.MUNICIPALITY
        assert member.organisation.name == f"{member.municipality.name} kommune"
        assert member.email.endswith("@example.no")
        assert "fiktiv" in member.title


@pytest.mark.django_db
def test_people_are_clearly_made_up():
    load()

    for person in Person.objects.all():
        assert "(demo)" in person.name or "Nordmann" in person.name, person
        assert person.phone == "", person
        assert person.email == "" or person.email.endswith("@example.no"), person


@pytest.mark.django_db
def test_every_measure_has_the_status_of_its_latest_update():
    load("--measures", "20")

    for measure in Measure.objects.all():
        if not measure.status_updates.exists():
            assert (measure.status, measure.progress) == (Status.NOT_STARTED, 0), measure
            continue
        latest = measure.status_updates.latest()
        assert latest.status == measure.status, measure
        assert latest.progress == measure.progress, measure
        assert latest.forecast_end == measure.forecast_end, measure
        assert measure.last_status_update_at is not None, measure


@pytest.mark.django_db
def test_real_measures_have_histories_through_the_programme_period():
    load()

    real = [spec.slug for spec in MEASURES if spec.is_published]
    updates = StatusUpdate.objects.filter(measure__slug__in=real)
    assert not Measure.objects.filter(slug__in=real, status_updates__isnull=True).exists()
    assert updates.earliest("date").date.isoformat() == "2018-11-20"
    assert updates.latest("date").date.isoformat() == "2022-02-23"
    assert updates.filter(comment__icontains="Covid-19").count() >= 5
    assert not updates.filter(comment="").exists()


@pytest.mark.django_db
def test_final_statuses_are_a_realistic_mix():
    load()

    measures = Measure.objects.public()
    assert measures.filter(status=Status.COMPLETED).count() >= 3
    assert not measures.filter(status=Status.COMPLETED).exclude(progress=100).exists()
    assert measures.filter(status=Status.ON_TRACK).exists()
    assert measures.filter(status=Status.STOPPED).exists()
    assert measures.filter(status=Status.NOT_STARTED).exists()
    delayed = list(measures.filter(status=Status.DELAYED))
    assert len(delayed) >= 2
    assert all(m.is_delayed for m in delayed)


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load("--measures", "3")
    counts = row_counts()
    updates = list(StatusUpdate.objects.order_by("pk").values_list("pk", "status", "date"))
    versions = dict(Measure.objects.values_list("slug", "version"))
    revision = current_revision().number

    load("--measures", "3")

    assert row_counts() == counts
    assert current_revision().number == revision
    assert list(StatusUpdate.objects.order_by("pk").values_list("pk", "status", "date")) == updates
    assert dict(Measure.objects.values_list("slug", "version")) == versions


@pytest.mark.django_db
def test_the_demo_has_milestones_and_a_pending_decision():
    load()
    today = timezone.localdate()
    states = Counter(m.state(today) for m in Milestone.objects.on_public_measures())

    assert states[MilestoneState.DONE] >= 2
    assert states[MilestoneState.LATE] == 1
    assert states[MilestoneState.COMING] >= 2
    (pending,) = Decision.objects.pending()
    assert pending.measure.slug == "regional-naeringskompetanse"
    assert Decision.objects.decided().filter(measure__slug="skaperkraft-konferansen").exists()


@pytest.mark.django_db
def test_loading_again_restores_edited_demo_text_but_keeps_the_history():
    load()
    slug = "studietur-til-bodo"
    Measure.objects.filter(slug=slug).update(summary="Endret i administrasjonen")
    before = Measure.objects.get(slug=slug)

    load()

    after = Measure.objects.get(slug=slug)
    assert after.summary.startswith("Næringsteamet besøker Bodø")
    assert after.version == before.version + 1
    assert after.status == before.status == Status.COMPLETED
    assert after.status_updates.count() == before.status_updates.count()


@pytest.mark.django_db
def test_synthetic_measures_renew_the_public_content_revision():
    load()
    revision = current_revision().number

    load("--measures", "2")

    assert current_revision().number > revision


@pytest.mark.django_db
def test_synthetic_measures_are_added_once():
    load()
    before = Measure.objects.count()

    output = load("--measures", "5")

    synthetic = Measure.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX)
    assert Measure.objects.count() == before + 5
    assert sorted(synthetic.values_list("slug", flat=True)) == [
        f"syntetisk-tiltak-000{n}" for n in range(1, 6)
    ]
    assert "5 nye" in output
    for measure in synthetic:
        assert measure.title.startswith("Syntetisk tiltak 000")
        assert measure.is_published
        assert measure.status_updates.exists()
        assert measure.municipalities.exists()
        assert measure.indicators.get().values.count() >= 2

    load("--measures", "5")
    assert Measure.objects.count() == before + 5


@pytest.mark.django_db
def test_synthetic_measures_respect_the_status_rules():
    load("--measures", "30")

    synthetic = Measure.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX)
    assert set(synthetic.values_list("status", flat=True)) == set(Status.values)
    assert all(m.is_delayed for m in synthetic.filter(status=Status.DELAYED))
    for update in StatusUpdate.objects.filter(measure__in=synthetic):
        if update.status in (Status.DELAYED, Status.STOPPED):
            assert update.comment
        if update.status == Status.COMPLETED:
            assert update.progress == 100


@pytest.mark.django_db
def test_prints_a_norwegian_summary():
    output = load()

    assert "Demoprogrammet Drivkraft er lastet." in output
    assert "Kommuner: 8" in output
    assert "Statusoppdateringer:" in output


@pytest.mark.django_db
def test_rejects_a_negative_number_of_measures():
    with pytest.raises(CommandError):
        load("--measures", "-1")
    assert not Measure.objects.exists()


@pytest.mark.django_db
def test_on_postgresql_the_planner_knows_the_loaded_rows_at_once():
    """Without ANALYZE after the load, PostgreSQL plans with the row counts of before until
    autovacuum comes by, and the home page's newest updates took 20 times as long."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    load_demo(synthetic_measures=300)
    through = Measure.municipalities.through

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s, %s)",
            [Measure._meta.db_table, StatusUpdate._meta.db_table, through._meta.db_table],
        )
        estimated = dict(cursor.fetchall())

    assert estimated[Measure._meta.db_table] == Measure.objects.count() > 300
    assert estimated[StatusUpdate._meta.db_table] == StatusUpdate.objects.count()
    assert estimated[through._meta.db_table] == through.objects.count() > 0
