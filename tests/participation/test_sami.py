"""Northern Sámi (`se`, /se/...): the header, the footer and the input form in Sámi, the rest in
bokmål and marked so; the language switch offers it."""

from __future__ import annotations

from django.utils import formats, translation

from participation.models import PublicInput
from tests.conftest import MEASURE_SLUG, parse_tags, plain
from tests.participation.conftest import old_stamp


def test_every_language_offers_the_other_two(client, portal):
    for prefix, offered in (("", {"se", "en"}), ("/en", {"nb", "se"}), ("/se", {"nb", "en"})):
        html = client.get(f"{prefix}/tiltak/{MEASURE_SLUG}/").content.decode()
        hreflangs = {
            a["hreflang"] for tag, a in parse_tags(html) if tag == "a" and a.get("hreflang")
        }
        assert hreflangs == offered, prefix
    nb = client.get(f"/tiltak/{MEASURE_SLUG}/").content.decode()
    assert f'href="/se/tiltak/{MEASURE_SLUG}/" lang="se" hreflang="se">Davvisámegiella' in nb


def test_the_sami_measure_page(client, portal):
    response = client.get(f"/se/tiltak/{MEASURE_SLUG}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="se">' in html
    # The header and footer in Sámi.
    assert "Njuikes váldosisdollui" in html
    assert ">Doaimmat</a>" in html
    assert "Hålogalándda ráđđi eaiggáduššá dan" in html
    assert "Persovdnasuodjalus" in html
    # The rest in bokmål, marked as such; the form in Sámi, marked back.
    assert '<main id="main" class="container" tabindex="-1" lang="nb">' in html
    assert "Framdrift" in html
    assert 'id="innspill" aria-labelledby="innspill-heading" lang="se"' in html
    assert "Atte cealkámuša" in html
    assert "Sádde cealkámuša" in html
    assert 'class="language-notice" lang="se"' in html
    # The form posts to the Sámi address, so its answer is in Sámi too.
    assert f'action="/se/tiltak/{MEASURE_SLUG}/innspill/"' in html


def test_sami_input_receipt_and_refusals(client, portal):
    ok = client.post(
        f"/se/tiltak/{MEASURE_SLUG}/innspill/",
        {"text": "Buorre doaibma!", "consent": "on", "stamp": _stamp()},
    )
    assert ok.status_code == 302
    assert ok["Location"] == f"/se/tiltak/{MEASURE_SLUG}/innspill/takk/"
    receipt = plain(client.get(ok["Location"]).content.decode())
    assert "Giitu cealkámušas" in receipt
    assert "Dat ii leat vel almmolaš" in receipt
    assert PublicInput.objects.count() == 1

    refused = client.post(
        f"/se/tiltak/{MEASURE_SLUG}/innspill/",
        {"text": "Menddo jođánit", "consent": "", "stamp": _stamp(0)},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Cealkámuš ii sáddejuvvon" in html
    assert "Don fertet mieđihit" in html
    assert "menddo jođánit maŋŋel go siidu rahpasii" in html
    assert "Menddo jođánit" in html


def test_sami_rate_limit_page(client, portal):
    for n in range(5):
        client.post(
            f"/se/tiltak/{MEASURE_SLUG}/innspill/",
            {"text": f"Nr. {n}", "consent": "on", "stamp": _stamp()},
        )
    response = client.post(
        f"/se/tiltak/{MEASURE_SLUG}/innspill/",
        {"text": "Guđát", "consent": "on", "stamp": _stamp()},
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Don leat sádden ollu cealkámušaid" in html
    assert "Guđát" in html


def test_other_sami_pages_fall_back_to_bokmal(client, portal):
    for url in ("/se/", "/se/tiltak/", "/se/personvern/", "/se/kommuner/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="nb">' in html, url
        assert "Váldofállu" in html, url


def test_dates_on_sami_pages_are_written_as_in_bokmal(portal):
    with translation.override("se"):
        text = formats.date_format(portal.measure.planned_end, "DATE_FORMAT")
    assert text == "31. desember 2026"


def test_the_catalogue_claims_no_sami_texts(client, portal):
    body = client.get("/data/katalog.ttl").content.decode()
    assert "@se" not in body
    assert "@nb" in body


def _stamp(seconds: float = 10) -> str:
    return old_stamp(seconds)
