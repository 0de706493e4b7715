"""The services refuse what the form would refuse, whoever calls them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participation import services
from participation.models import InputState, PublicInput
from tests.participation.factories import PublicInputFactory


def test_create_refuses_hidden_measures_bad_text_and_no_consent(portal):
    with pytest.raises(ValidationError) as refused:
        services.public_input_create(
            measure=portal.draft, text="a http://a.no http://b.no http://c.no", consent=False
        )
    assert set(refused.value.message_dict) == {"measure", "text", "consent"}
    assert not PublicInput.objects.exists()


def test_the_database_refuses_input_without_consent(portal):
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicInput.objects.create(measure=portal.measure, text="Uten samtykke", consent=False)


def test_decide_refuses_an_unknown_decision(portal, django_user_model):
    item = PublicInputFactory(measure=portal.measure)
    with pytest.raises(ValidationError):
        services.public_input_decide(public_input=item, state=InputState.NEW, user=None)


def test_answer_refuses_empty_and_long_answers(portal):
    item = PublicInputFactory(measure=portal.measure)
    for answer in ("  ", "x" * 2001):
        with pytest.raises(ValidationError):
            services.public_input_answer(public_input=item, answer=answer, user=None)


def test_a_failed_mail_keeps_the_answer(portal, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise OSError("no SMTP server")

    monkeypatch.setattr(services, "send_mail", broken)
    item = PublicInputFactory(measure=portal.measure)
    with django_capture_on_commit_callbacks(execute=True):
        services.public_input_answer(public_input=item, answer="Svar uten e-post.", user=None)
    item.refresh_from_db()
    assert item.answer == "Svar uten e-post."
