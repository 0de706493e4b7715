from typing import Any, overload

class DocumentMetadata:
    title: str | None
    authors: list[str]
    lang: str | None

class Page:
    width: float
    height: float

class Document:
    pages: list[Page]
    metadata: DocumentMetadata
    # Without a target the PDF is returned; with one it is written there and None returned.
    @overload
    def write_pdf(self, target: None = None, zoom: float = 1, **options: Any) -> bytes: ...
    @overload
    def write_pdf(self, target: Any, zoom: float = 1, **options: Any) -> None: ...
