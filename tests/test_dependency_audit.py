"""`make audit`'s decisions (tools/dependency_audit.py), without the network."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tools import dependency_audit

REQUIREMENTS = (
    "django==6.1.3 \\\n    --hash=sha256:aa\n"
    "ecdsa==0.19.2 --hash=sha256:bb\n"
    "markdown==3.8 ; python_version >= '3.12' --hash=sha256:cc\n"
    "nh3==0.3.1 --hash=sha256:dd\n"
)


def run(
    monkeypatch: pytest.MonkeyPatch, audited: list[dict[str, Any]], pages: dict[str, Any]
) -> int:
    monkeypatch.setattr(dependency_audit, "pip_audit", lambda requirements: audited)
    monkeypatch.setattr(dependency_audit, "project_data", lambda name: pages[name])
    monkeypatch.setattr("sys.stdin", io.StringIO(REQUIREMENTS))
    return dependency_audit.main()


def skipped(name: str) -> dict[str, Any]:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def test_every_package_checked_and_clean_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    audited = [
        {"name": "django", "version": "6.1.3", "vulns": []},
        skipped("ecdsa"),
        skipped("markdown"),
        skipped("nh3"),
    ]
    pages: dict[str, Any] = {"ecdsa": ("0.19.2", []), "markdown": ("3.8", []), "nh3": ("0.3.1", [])}

    assert run(monkeypatch, audited, pages) == 0
    assert "1 checked by pip-audit, 3 by PyPI's data" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("audited", "pages", "expected"),
    [
        # pip-audit found one.
        (
            [{"name": "django", "version": "6.1.3", "vulns": [{"id": "PYSEC-1"}]}],
            {},
            "SÅRBAR / VULNERABLE  django 6.1.3: PYSEC-1",
        ),
        # The latest release, and PyPI lists a vulnerability for it.
        ([skipped("ecdsa")], {"ecdsa": ("0.19.2", ["GHSA-x"])}, "ecdsa 0.19.2: GHSA-x"),
        # Not the latest release: the project page says nothing about ours.
        ([skipped("nh3")], {"nh3": ("0.3.2", [])}, "IKKE SJEKKET / NOT CHECKED  nh3 0.3.1"),
        # PyPI did not answer at all.
        ([skipped("markdown")], {"markdown": "PyPI answered no project data"}, "markdown 3.8"),
    ],
)
def test_a_vulnerable_or_unchecked_package_fails(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    audited: list[dict[str, Any]],
    pages: dict[str, Any],
    expected: str,
) -> None:
    assert run(monkeypatch, audited, pages) == 1
    assert expected in capsys.readouterr().out
