"""What every description of the open data shares: the addresses, the publisher, the formats and
the catalogue's title, in every language of the site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

# The languages the catalogue's texts are given in: the site's, but for those that translate only
# a few parts of the site (Northern Sámi: the header, the footer and the input form,
# locale/se/README.md), whose catalogue texts would be bokmål under another language's tag.
LANGUAGES = [
    code for code, _name in settings.LANGUAGES if code not in settings.PARTLY_TRANSLATED_LANGUAGES
]


@dataclass(frozen=True)
class Format:
    """A file format of the datasets: its extension, IANA media type and EU file type."""

    suffix: str
    media_type: str
    file_type: str
    label: Promise


CSV = Format("csv", "text/csv", "CSV", _("kommaseparert, UTF-8"))
JSON = Format("json", "application/json", "JSON", _("JSON med metadata"))
FORMATS = (CSV, JSON)


def absolute_url(request: HttpRequest, name: str, *, kwargs: dict[str, Any] | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def data_url(request: HttpRequest) -> str:
    """The data page: the catalogue's home, and the base of its identifiers."""
    return absolute_url(request, "measures:data")


def file_url(request: HttpRequest, filename: str) -> str:
    """A file beside datapackage.json."""
    return data_url(request) + filename


def publisher_uri(request: HttpRequest) -> str:
    """The publisher in Enhetsregisteret; without an organisation number (a warning of
    `check --deploy`), an address of its own on this site rather than a made-up number."""
    number = settings.OPEN_DATA_PUBLISHER_ORGNR
    return f"{BRREG}{number}" if number else data_url(request) + "#utgiver"


def in_every_language(text: Promise) -> dict[str, str]:
    """A translated text in every language of the site."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(text)
    return texts


CATALOGUE_TITLE = _("Åpne data fra Program Drivkraft")
CATALOGUE_DESCRIPTION = _(
    "Tiltakene i Program Drivkraft – strategisk næringsrettet kommunesamarbeid i "
    "Hålogalandsrådet – med status, historikk og indikatorer, som CSV og JSON."
)
