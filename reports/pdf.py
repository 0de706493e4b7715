"""The PDF engine: WeasyPrint, sandboxed, making a tagged PDF/UA-1 document of a report's HTML.

WeasyPrint fetches only through `StaticOnlyURLFetcher`, which serves our own static files and
nothing else: no network, no `file:` URLs, no `data:` URLs.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import threading
from pathlib import Path
from urllib import parse, request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports import pdfua

pdfua.mark_languages_in_structure()

logger = logging.getLogger(__name__)

# The document's metadata.
AUTHOR = "Hålogalandsrådet"
LANGUAGE = "nb"
# The status colours as CSS custom properties: the one file the site, the admin and the reports
# load (the report's own stylesheet uses them).
STATUS_STYLESHEET = "css/status.css"

# A private scheme and host: nothing outside this process can answer it, so a URL under it can
# only ever mean one of our static files.
SCHEME = "drivkraft-report"
BASE_URL = f"{SCHEME}://local/"
# urljoin() leaves relative references alone under schemes it does not know as hierarchical;
# registering ours lets "/static/reports/report.css" resolve against BASE_URL like under https.
for _registry in (parse.uses_relative, parse.uses_netloc):
    if SCHEME not in _registry:
        _registry.append(SCHEME)


class URLRefused(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


def _static_prefix() -> str:
    """The path part of STATIC_URL, with slashes at both ends ("/static/")."""
    path = urlsplit(settings.STATIC_URL or "/static/").path
    return "/" + path.strip("/") + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """Answers only BASE_URL + STATIC_URL paths, from the static files finders; refuses the rest.

    Records every URL it was asked for in `requested`, so tests can see what a document tried.
    """

    def __init__(self) -> None:
        # URLFetcher.__init__ installs handlers for http(s), ftp, file and data and builds a TLS
        # context (tens of milliseconds). This fetcher opens none of those, so it starts from a
        # bare opener with no handlers at all.
        request.OpenerDirector.__init__(self)
        self._fail_on_errors = False
        self._request = None
        self.requested: list[str] = []

    def _refuse(self, url: str, reason: str) -> URLRefused:
        logger.warning("Rapport-PDF: nektet å hente %s (%s)", url, reason)
        return URLRefused(f"Refused {url!r}: {reason}")

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            parts = urlsplit(url)
        except ValueError as error:
            raise self._refuse(url, "malformed URL") from error
        if parts.scheme != SCHEME or parts.netloc != urlsplit(BASE_URL).netloc:
            raise self._refuse(url, "not a report resource")
        if parts.query or parts.fragment:
            raise self._refuse(url, "query or fragment")
        prefix = _static_prefix()
        path = unquote(parts.path)
        if not path.startswith(prefix):
            raise self._refuse(url, "outside the static files")
        relative = path.removeprefix(prefix)
        if (
            not relative
            or "\\" in relative
            or "\x00" in relative
            or relative.startswith("/")
            or posixpath.normpath(relative) != relative
            or any(part in ("", ".", "..") for part in relative.split("/"))
        ):
            raise self._refuse(url, "not a plain static path")
        found = finders.find(relative)
        if not found or not isinstance(found, str):
            raise self._refuse(url, "no such static file")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        body = Path(found).read_bytes()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def _status_colours() -> str:
    found = finders.find(STATUS_STYLESHEET)
    if not found or not isinstance(found, str):
        raise FileNotFoundError(f"No static file {STATUS_STYLESHEET}")
    return Path(found).read_text(encoding="utf-8")


# One FontConfiguration per thread, kept for every render it makes: setting fontconfig up is a
# tenth of a report's CPU time (`make bench-report` measures it). Per thread, because WeasyPrint
# does not say that one may be shared between threads; the worker renders one report at a time.
_fonts = threading.local()


def _font_config() -> FontConfiguration:
    config: FontConfiguration | None = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def render_pdf(
    html: str,
    *,
    title: str,
    url_fetcher: StaticOnlyURLFetcher | None = None,
    language: str = LANGUAGE,
) -> tuple[bytes, int]:
    """Lay out `html` as a tagged PDF/UA-1 document; return the PDF and its page count.

    Metadata: `title`, author Hålogalandsrådet, `language` (nb unless the labels are in another
    language; then each element of the HTML marked with another `lang`, the Norwegian content,
    gets that /Lang in the structure tree). Only static files are fetched.
    The status colours (STATUS_STYLESHEET) come with every document: they are ours, not
    something the document asks for, so they are handed to WeasyPrint rather than fetched.
    What WeasyPrint's PDF/UA-1 still lacks is added by `reports.pdfua.finish_pdfua`: running
    headers and footers as artifacts, links described by the heading they lead to.
    """
    fetcher = url_fetcher or StaticOnlyURLFetcher()
    fonts = _font_config()
    colours = CSS(
        string=_status_colours(), base_url=BASE_URL, url_fetcher=fetcher, font_config=fonts
    )
    source = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    document = source.render(stylesheets=[colours], font_config=fonts)
    document.metadata.title = title
    document.metadata.authors = [AUTHOR]
    document.metadata.lang = language
    written: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    pdf = pdfua.finish_pdfua(written, link_labels=pdfua.link_labels(source.etree_element))
    return pdf, len(document.pages)
