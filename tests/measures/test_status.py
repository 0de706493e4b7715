"""The status vocabulary (measures/status.py): which status may follow which, when a comment is
required, what each status shows, and the mean progress that leaves stopped measures out.

No database: this is the test subset of `make mutation` for the module (tools/mutation/status.toml).
"""

from __future__ import annotations

import dataclasses
import re
import typing

import pytest
from django.utils import translation

from measures.status import (
    COMMENT_REQUIRED,
    STATUS_INFO,
    STATUSES,
    Status,
    StatusInfo,
    mean_progress,
    status_info,
    transition_allowed,
)

NOT_STARTED, ON_TRACK, DELAYED, COMPLETED, STOPPED = (
    "ikke-startet",
    "etter-plan",
    "forsinket",
    "gjennomfort",
    "stanset",
)

# Every allowed (from, to), spelled out rather than derived from the table under test: a measure
# may stay where it is, start in any way, move between the running states and stop or finish;
# it never goes back to «not started», and a completed measure is never reopened.
ALLOWED = {
    (NOT_STARTED, NOT_STARTED),
    (NOT_STARTED, ON_TRACK),
    (NOT_STARTED, DELAYED),
    (NOT_STARTED, COMPLETED),
    (NOT_STARTED, STOPPED),
    (ON_TRACK, ON_TRACK),
    (ON_TRACK, DELAYED),
    (ON_TRACK, COMPLETED),
    (ON_TRACK, STOPPED),
    (DELAYED, DELAYED),
    (DELAYED, ON_TRACK),
    (DELAYED, COMPLETED),
    (DELAYED, STOPPED),
    (STOPPED, STOPPED),
    (STOPPED, ON_TRACK),
    (STOPPED, DELAYED),
    (STOPPED, COMPLETED),
}
VALUES = [NOT_STARTED, ON_TRACK, DELAYED, COMPLETED, STOPPED]


def test_the_vocabulary_and_its_order() -> None:
    assert [s.value for s in Status] == VALUES
    assert [info.value for info in STATUSES] == VALUES
    assert list(STATUS_INFO) == list(Status)


@pytest.mark.parametrize("previous", VALUES)
def test_which_status_may_follow_which(previous: str) -> None:
    allowed = {new for new in VALUES if transition_allowed(previous, new)}

    assert allowed == {new for old, new in ALLOWED if old == previous}


def test_an_unknown_status_is_refused_not_allowed() -> None:
    with pytest.raises(ValueError, match="ukjent"):
        transition_allowed(ON_TRACK, "ukjent")
    with pytest.raises(ValueError, match="ukjent"):
        status_info("ukjent")


def test_a_comment_is_required_when_a_measure_falls_behind_or_stops() -> None:
    assert {s.value for s in COMMENT_REQUIRED} == {DELAYED, STOPPED}


@pytest.mark.parametrize("value", VALUES)
def test_each_status_shows_a_label_a_symbol_a_colour_and_a_text(value: str) -> None:
    info = status_info(value)

    assert info.status == Status(value)
    assert info.value == value
    assert isinstance(info.value, str)
    assert info.label == str(Status(value).label)
    assert isinstance(info.label, str)
    assert re.fullmatch(r"#[0-9a-f]{6}", info.colour)
    assert info.symbol.strip()
    assert str(info.description).endswith(".")


def test_the_marks_tell_the_statuses_apart_without_colour() -> None:
    assert len({info.symbol for info in STATUSES}) == len(STATUSES)
    assert len({info.colour for info in STATUSES}) == len(STATUSES)
    assert len({str(info.description) for info in STATUSES}) == len(STATUSES)


def test_the_labels_are_translated_when_shown() -> None:
    info = status_info(DELAYED)

    assert info.label == "Forsinket"
    with translation.override("en"):
        assert status_info(DELAYED).label == "Delayed"
        assert str(info.description) != "Tiltaket er i gang, men ligger bak planen."


def test_the_vocabulary_cannot_be_changed_by_a_page() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        status_info(ON_TRACK).colour = "#ffffff"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        ([(ON_TRACK, 10), (DELAYED, 20), (COMPLETED, 100)], 43),  # 43.33 rounded down
        ([(ON_TRACK, 10), (ON_TRACK, 20), (STOPPED, 90)], 15),  # the stopped one left out
        ([(NOT_STARTED, 0), (ON_TRACK, 5), (ON_TRACK, 6)], 4),  # 3.67 rounded up
        ([(ON_TRACK, 50)], 50),
        ([(NOT_STARTED, 0)], 0),
        ([(STOPPED, 40)], None),
        ([], None),
    ],
)
def test_the_mean_progress(measures: list[tuple[str, int]], expected: int | None) -> None:
    assert mean_progress(measures) == expected


def test_the_mean_progress_rounds_half_to_even_and_is_a_whole_number() -> None:
    assert mean_progress([(ON_TRACK, 1), (ON_TRACK, 2)]) == 2
    assert mean_progress([(ON_TRACK, 2), (ON_TRACK, 3)]) == 2
    assert isinstance(mean_progress([(ON_TRACK, 1)]), int)


@pytest.mark.parametrize(
    ("function", "returns"),
    [(mean_progress, int | None), (status_info, StatusInfo), (transition_allowed, bool)],
)
def test_the_type_hints_resolve(function: typing.Callable[..., object], returns: object) -> None:
    assert typing.get_type_hints(function)["return"] == returns
