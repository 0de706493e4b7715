from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

class HTML:
    # The parsed document (tinyhtml5 builds it with the standard library's ElementTree).
    etree_element: Element
    def __init__(
        self,
        guess: Any = None,
        filename: str | Path | None = None,
        url: str | None = None,
        file_obj: Any = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | Path | None = None,
        url_fetcher: URLFetcher | None = None,
        media_type: str = "print",
    ) -> None: ...
    # `options` are WeasyPrint's DEFAULT_OPTIONS (stylesheets, pdf_variant, …).
    def render(
        self, *, stylesheets: Sequence[CSS | str] | None = None, **options: Any
    ) -> Document: ...
    def write_pdf(
        self, target: Any = None, *, stylesheets: Sequence[CSS | str] | None = None, **options: Any
    ) -> bytes | None: ...

class CSS:
    def __init__(
        self,
        guess: Any = None,
        filename: str | Path | None = None,
        url: str | None = None,
        file_obj: Any = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | Path | None = None,
        url_fetcher: URLFetcher | None = None,
        font_config: FontConfiguration | None = None,
    ) -> None: ...
