"""The public form «Gi innspill»: on every measure page, posted without login or JavaScript (and
with htmx), hidden until approved, and its defences against robots and floods."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from drivkraft.core import formstamp
from participation.models import InputState, PublicInput
from tests.conftest import DRAFT_SLUG, MEASURE_SLUG, parse_tags, plain
from tests.participation.conftest import TEXT, old_stamp, post_input

ACTION = f"/tiltak/{MEASURE_SLUG}/innspill/"


def form_attrs(html: str) -> dict[str, str | None]:
    forms = [
        attrs for tag, attrs in parse_tags(html) if tag == "form" and attrs.get("action") == ACTION
    ]
    assert len(forms) == 1
    return forms[0]


def stamp_of(html: str) -> str:
    stamps = [
        attrs["value"]
        for tag, attrs in parse_tags(html)
        if tag == "input" and attrs.get("name") == "stamp"
    ]
    assert len(stamps) == 1
    assert stamps[0] is not None
    return stamps[0]


def test_every_measure_page_has_the_form(client, portal):
    html = client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode()
    attrs = form_attrs(html)
    assert attrs["method"] == "post"
    # htmx by valid data-* attributes only; the plain form works without it.
    assert attrs["data-hx-post"] == ACTION
    assert not any(name.startswith("hx-") for _tag, a in parse_tags(html) for name in a)
    assert "Gi innspill" in html
    assert "Ingenting blir offentlig før det er godkjent" in html
    # A shared, cached page carries no CSRF token (it would be one visitor's for everyone).
    assert "csrfmiddlewaretoken" not in html


def test_each_response_gets_a_fresh_stamp_even_from_the_cache(client, portal, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    first = stamp_of(client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode())
    time.sleep(0.01)
    second = stamp_of(client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode())
    assert first != second
    assert formstamp.PLACEHOLDER not in second
    assert 0 <= formstamp.age(second) < 5


def test_post_without_javascript_redirects_to_a_receipt(client, portal):
    response = post_input(client, MEASURE_SLUG)
    assert response.status_code == 302
    assert response["Location"] == f"/tiltak/{MEASURE_SLUG}/innspill/takk/"
    received = PublicInput.objects.get()
    assert received.measure == portal.measure
    assert received.state == InputState.NEW
    assert received.text == TEXT
    assert received.email == "ola@example.org"
    assert received.consent is True

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = plain(receipt.content.decode())
    assert "Takk for innspillet" in text
    assert "Det er ikke offentlig ennå" in text


def test_new_input_is_public_nowhere_until_approved(client, portal):
    post_input(client, MEASURE_SLUG)
    for url in (f"/tiltak/{MEASURE_SLUG}/", f"/tiltak/{MEASURE_SLUG}/feed/", "/tiltak/", "/"):
        page = client.get(url).content.decode()
        assert "lærlingplasser i Lavangen" not in page, url
        assert "ola@example.org" not in page, url


def test_htmx_answers_in_place(client, portal):
    response = post_input(client, MEASURE_SLUG, htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="innspill-skjema"' in html
    assert "Takk for innspillet" in html
    assert PublicInput.objects.count() == 1


def test_htmx_refusal_is_the_form_with_its_errors(client, portal):
    response = post_input(client, MEASURE_SLUG, htmx=True, consent="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="innspill-skjema"' in html
    assert "Du må samtykke" in html
    assert "lærlingplasser i Lavangen" in html


def test_the_form_has_a_page_of_its_own(client, portal):
    response = client.get(ACTION)
    assert response.status_code == 200
    form_attrs(response.content.decode())


def test_hidden_measures_take_no_input(client, portal):
    assert client.get(f"/tiltak/{DRAFT_SLUG}/innspill/").status_code == 404
    assert post_input(client, DRAFT_SLUG).status_code == 404
    assert not PublicInput.objects.exists()


def test_honeypot_refuses_and_keeps_the_text(client, portal):
    response = post_input(client, MEASURE_SLUG, nettside="http://spam.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "La dette feltet stå tomt" in plain(html)
    assert "lærlingplasser i Lavangen" in html
    assert not PublicInput.objects.exists()


def test_honeypot_is_hidden_from_people(client, portal):
    html = client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode()
    trap = html.split('class="input-form__trap"', 1)[1].split("</div>", 1)[0]
    assert 'aria-hidden="true"' in html.split('class="input-form__trap"', 1)[1][:40]
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


@pytest.mark.parametrize("seconds", [0, 1, 2.5])
def test_a_form_sent_within_three_seconds_is_refused(client, portal, seconds):
    response = post_input(client, MEASURE_SLUG, stamp=old_stamp(seconds))
    assert response.status_code == 400
    html = response.content.decode()
    assert "for raskt" in html
    assert "lærlingplasser i Lavangen" in html
    assert not PublicInput.objects.exists()
    # The form comes back with a fresh stamp, so sending again later goes through.
    assert formstamp.age(stamp_of(html)) < 5


def test_a_form_sent_after_three_seconds_is_taken(client, portal):
    assert post_input(client, MEASURE_SLUG, stamp=old_stamp(3.5)).status_code == 302


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "nonsense",
        # Signed with another salt (another form's stamp, say).
        signing.dumps({"t": time.time() - 60}, salt="something-else"),
        # A real stamp with its time changed.
        "tampered",
    ],
    # Fixed ids: the signed stamp differs per collection, and the xdist workers must agree.
    ids=["missing", "nonsense", "other-salt", "tampered"],
)
def test_a_missing_forged_or_altered_stamp_is_refused(client, portal, stamp):
    if stamp == "tampered":
        real = old_stamp(60)
        payload, rest = real.split(":", 1)
        stamp = signing.b64_encode(b'{"t":1}').decode() + ":" + rest
        assert stamp != real
    response = post_input(client, MEASURE_SLUG, stamp=stamp)
    assert response.status_code == 400
    assert "kunne ikke kontrolleres" in response.content.decode()
    assert "lærlingplasser i Lavangen" in response.content.decode()
    assert not PublicInput.objects.exists()


def test_a_form_left_open_for_days_is_sent_again(client, portal):
    response = post_input(client, MEASURE_SLUG, stamp=old_stamp(3 * 24 * 3600))
    assert response.status_code == 400
    assert "åpent for lenge" in response.content.decode()


def test_sixth_post_in_an_hour_gets_429_in_norwegian_and_keeps_the_text(client, portal):
    for n in range(5):
        assert post_input(client, MEASURE_SLUG, text=f"Innspill nummer {n}.").status_code == 302
    response = post_input(client, MEASURE_SLUG, text="Det sjette innspillet, som må vente.")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Du har sendt mange innspill på kort tid" in html
    assert "Det sjette innspillet, som må vente." in html
    assert PublicInput.objects.count() == 5


def test_the_limit_is_per_address(client, portal):
    for n in range(5):
        post_input(client, MEASURE_SLUG, text=f"Innspill nummer {n}.")
    other = client.post(
        ACTION,
        {"text": "Fra en annen adresse.", "consent": "on", "stamp": old_stamp()},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


def test_at_most_two_links(client, portal):
    two = "Se https://example.org/a og www.example.org/b."
    assert post_input(client, MEASURE_SLUG, text=two).status_code == 302
    three = two + " Og http://example.org/c."
    response = post_input(client, MEASURE_SLUG, text=three)
    assert response.status_code == 400
    html = response.content.decode()
    assert "høyst 2 lenker" in html
    assert "http://example.org/c" in html
    assert PublicInput.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "Skriv innspillet ditt."),
        ({"text": "x" * 2001}, "2000"),
        ({"consent": ""}, "Du må samtykke"),
        ({"email": "ikke-en-adresse"}, "gyldig e-postadresse"),
    ],
)
def test_a_refused_post_keeps_what_was_written(client, portal, changes, message):
    response = post_input(client, MEASURE_SLUG, **{"name": "Kari Skriver", **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kari Skriver"' in html
    assert "Innspillet ble ikke sendt" in html
    assert message in html
    assert not PublicInput.objects.exists()


def test_posts_from_other_sites_are_refused(client, portal):
    response = client.post(
        ACTION,
        {"text": "Fra et annet nettsted.", "consent": "on", "stamp": old_stamp()},
        headers={"Origin": "https://angriper.example"},
    )
    assert response.status_code == 403
    assert not PublicInput.objects.exists()
    same = client.post(
        ACTION,
        {"text": "Fra oss selv.", "consent": "on", "stamp": old_stamp()},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 302


def test_a_refusal_of_the_service_shows_at_its_field(client, portal, monkeypatch):
    """The measure hidden between the page and the post, say: the service's refusal is shown."""
    from django.core.exceptions import ValidationError

    from participation import services

    def refuse(**kwargs):
        raise ValidationError({"measure": ["Tiltaket tar ikke imot innspill."]})

    monkeypatch.setattr(services, "public_input_create", refuse)
    response = post_input(client, MEASURE_SLUG)
    assert response.status_code == 400
    assert "Tiltaket tar ikke imot innspill." in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_form_comes_back_with_the_stamp_it_was_sent_with(client, portal, htmx):
    # The clock runs from when the page was opened: fixing a refusal quickly is not «too fast».
    stamp = old_stamp(10)
    response = post_input(client, MEASURE_SLUG, htmx=htmx, stamp=stamp, consent="")

    assert response.status_code == 400
    [value] = [
        a["value"] for n, a in parse_tags(response.content.decode()) if a.get("name") == "stamp"
    ]
    assert value == stamp


def test_a_refused_form_with_a_forged_stamp_gets_a_fresh_one(client, portal):
    response = post_input(client, MEASURE_SLUG, stamp="nonsense")

    assert response.status_code == 400
    [value] = [
        a["value"] for n, a in parse_tags(response.content.decode()) if a.get("name") == "stamp"
    ]
    assert value is not None
    assert formstamp.age(value) < 5


def stamp_values(html: str) -> list[str | None]:
    return [attrs.get("value") for _, attrs in parse_tags(html) if attrs.get("name") == "stamp"]
