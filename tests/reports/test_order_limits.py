"""Limits on ordering reports: one unfinished report per person and a few in all, refused with
a message that names what is pending, by the form and by the service alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.utils import timezone

from measures.models import Programme
from reports import services
from reports.models import Report, ReportState, Scope
from reports.validation import report_order_errors
from teams.roles import PROJECT_LEADER
from tests.admin_area.conftest import page_text
from tests.reports.conftest import FakeRender, Plan, _user_in, logged_in, make_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ORDER = {
    "scope": "program",
    "period_start": "2024-01-01",
    "period_end": "2024-06-30",
    "title": "Statusrapport første halvår",
    "_issue": "1",
}


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Orders wait in the queue (no worker runs here)."""
    settings.TASKS = DATABASE_TASKS


def test_twenty_orders_queue_one_report(as_leader: Client, plan: Plan, queued_tasks: None) -> None:
    responses = [
        as_leader.post("/rapporter/ny/", ORDER | {"title": f"Bestilling {n}"}) for n in range(20)
    ]

    assert responses[0].status_code == 302
    assert {r.status_code for r in responses[1:]} == {200}
    assert Report.objects.filter(state=ReportState.QUEUED).count() == 1
    text = page_text(responses[1])
    assert "Du har allerede bestilt en rapport som ikke er ferdig: «Bestilling 0»." in text


def test_a_preview_is_allowed_while_a_report_is_pending(
    as_leader: Client, plan: Plan, queued_tasks: None
) -> None:
    as_leader.post("/rapporter/ny/", ORDER)

    preview = {key: value for key, value in ORDER.items() if key != "_issue"}
    response = as_leader.post("/rapporter/ny/", preview | {"_preview": "1"})

    assert response.status_code == 200
    assert "preview" in response.context
    assert response.context["form"].errors == {}


def test_the_programme_takes_a_few_orders_at_a_time(
    settings: Any, plan: Plan, queued_tasks: None
) -> None:
    settings.REPORT_MAX_PENDING = 3
    leaders = [_user_in(PROJECT_LEADER, username=f"leder{n}") for n in range(4)]
    for n, leader in enumerate(leaders[:3]):
        assert (
            logged_in(leader).post("/rapporter/ny/", ORDER | {"title": f"R{n}"}).status_code == 302
        )

    refused = logged_in(leaders[3]).post("/rapporter/ny/", ORDER | {"title": "R3"})

    assert refused.status_code == 200
    assert "Det lages allerede 3 rapporter: «R0», «R1», «R2»." in page_text(refused)
    assert Report.objects.count() == 3


def test_the_service_refuses_an_order_over_the_limit(
    leader: Any, plan: Plan, queued_tasks: None
) -> None:
    order = {
        "title": "Første",
        "scope": Scope.PROGRAMME,
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 6, 30),
        "user": leader,
    }
    services.report_request(**order)

    with pytest.raises(ValidationError) as refused:
        services.report_request(**order | {"title": "Andre"})

    assert "«Første»" in refused.value.message_dict[NON_FIELD_ERRORS][0]
    assert Report.objects.count() == 1


def test_a_finished_or_lost_order_no_longer_counts(
    settings: Any, leader: Any, as_leader: Client, plan: Plan, queued_tasks: None
) -> None:
    make_report(state=ReportState.ISSUED, requested_by=leader)
    make_report(state=ReportState.FAILED, requested_by=leader)
    make_report(
        state=ReportState.QUEUED,
        requested_by=leader,
        title="Glemt",
        state_changed_at=timezone.now() - dt.timedelta(minutes=settings.REPORT_STALE_MINUTES + 1),
    )

    assert as_leader.post("/rapporter/ny/", ORDER).status_code == 302

    assert Report.objects.get(title="Glemt").state == ReportState.FAILED


def test_a_retry_counts_as_an_order(
    leader: Any, as_leader: Client, plan: Plan, queued_tasks: None
) -> None:
    failed = make_report(state=ReportState.FAILED, requested_by=leader, error="x")
    as_leader.post("/rapporter/ny/", ORDER)

    response = as_leader.post(f"/rapporter/{failed.pk}/prov-igjen/", follow=True)

    failed.refresh_from_db()
    assert failed.state == ReportState.FAILED
    assert "Du har allerede bestilt en rapport som ikke er ferdig" in page_text(response)


def test_the_default_limits_still_issue_one_report_after_another(
    as_leader: Client, plan: Plan, fake_render: FakeRender
) -> None:
    """With the immediate backend each order is finished before the next one."""
    for n in range(3):
        assert as_leader.post("/rapporter/ny/", ORDER | {"title": f"R{n}"}).status_code == 302

    assert Report.objects.filter(state=ReportState.ISSUED).count() == 3


# The rule itself: pure


def _errors(**kwargs: Any) -> dict[str, list[str]]:
    return report_order_errors(
        scope=Scope.PROGRAMME,
        focus_area=None,
        municipality=None,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        today=dt.date(2025, 1, 1),
        **kwargs,
    )


def test_the_rule_names_the_pending_reports(settings: Any) -> None:
    settings.REPORT_MAX_PENDING_PER_USER = 2
    settings.REPORT_MAX_PENDING = 3

    assert _errors(pending_by_user=["A"], pending=["A", "B"]) == {}
    assert _errors(pending_by_user=["A", "B"], pending=["A", "B"]) == {
        NON_FIELD_ERRORS: [
            "Du har allerede bestilt 2 rapporter som ikke er ferdige: «A», «B». Vent til en av "
            "dem er utstedt eller har feilet før du bestiller en ny."
        ]
    }
    assert _errors(pending=["A", "B", "C"]) == {
        NON_FIELD_ERRORS: [
            "Det lages allerede 3 rapporter: «A», «B», «C». Vent til en av dem er ferdig før "
            "du bestiller en ny."
        ]
    }


def test_an_order_without_a_current_programme_is_refused_on_the_form(
    as_leader: Client, plan: Plan
) -> None:
    Programme.objects.update(is_current=False)

    response = as_leader.post("/rapporter/ny/", ORDER)

    assert response.status_code == 200
    assert "Det finnes ikke noe gjeldende program å lage rapport for." in page_text(response)
    assert not Report.objects.exists()
