"""axe-core (from axe-playwright-python) restricted to the WCAG 2.1 A and AA rules."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    violations: list[dict[str, Any]] = _axe.run(page, options=OPTIONS).response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """Each violation's id, impact and help, with the first nodes' target and html."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} node(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"    html:   {node['html'][:300]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"    why:    {summary[:300]}")
    return "\n".join(lines)
