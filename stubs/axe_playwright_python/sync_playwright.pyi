from typing import Any

from axe_playwright_python.base import AxeResults
from playwright.sync_api import Page

class Axe:
    def run(
        self,
        page: Page,
        context: str | list[Any] | dict[str, Any] | None = None,
        options: dict[str, Any] | None = ...,
    ) -> AxeResults: ...
