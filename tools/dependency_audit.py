"""`make audit`: pip-audit on the locked dependencies, with PyPI project data where it cannot look.

pip-audit asks PyPI for each exact version (`/pypi/<name>/<version>/json`) or asks OSV. Where
neither answers (a mirror without per-version pages, no route to api.osv.dev), pip-audit skips the
package and a strict run fails without having checked anything. For a skipped package this script
then reads PyPI's project page (`/pypi/<name>/json`), whose `vulnerabilities` are those of the
latest release: when our locked version *is* the latest release, that answers the question; when
it is not, the package stays unchecked and the audit fails, saying so.

Exit status: 0 only when every package was checked and none has a known vulnerability.
Run with `make audit`; reads the requirements (with hashes) on standard input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PYPI = "https://pypi.org/pypi/{name}/json"
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def pip_audit(requirements: str) -> list[dict[str, Any]]:
    command = [str(PIP_AUDIT), "--requirement", "/dev/stdin", "--require-hashes", "--disable-pip"]
    result = subprocess.run(  # noqa: S603 – our own venv's pip-audit, fixed arguments
        [*command, "--progress-spinner", "off", "--format", "json"],
        input=requirements,
        capture_output=True,
        text=True,
        check=False,
    )
    if not result.stdout.strip():
        sys.stderr.write(result.stderr)
        raise SystemExit(f"pip-audit gave no answer (exit {result.returncode})")
    dependencies: list[dict[str, Any]] = json.loads(result.stdout)["dependencies"]
    return dependencies


def locked_versions(requirements: str) -> dict[str, str]:
    versions = {}
    for line in requirements.splitlines():
        line = line.split(";")[0].strip()
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            versions[name.strip().lower()] = version.split()[0].strip(" \\")
    return versions


def project_data(name: str) -> tuple[str, list[str]] | str:
    """The latest release and its known vulnerabilities, or why PyPI could not tell."""
    try:
        with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310
            data = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return f"PyPI answered no project data ({error})"
    ids = [v.get("id", "?") for v in data.get("vulnerabilities") or []]
    return data["info"]["version"], ids


def main() -> int:
    requirements = sys.stdin.read()
    versions = locked_versions(requirements)
    dependencies = pip_audit(requirements)

    vulnerable: list[str] = []
    unchecked: list[str] = []
    by_pip_audit = 0
    skipped = [d["name"].lower() for d in dependencies if "skip_reason" in d]
    for dependency in dependencies:
        if dependency.get("vulns"):
            ids = ", ".join(v["id"] for v in dependency["vulns"])
            vulnerable.append(f"{dependency['name']} {dependency.get('version', '')}: {ids}")
        elif "skip_reason" not in dependency:
            by_pip_audit += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(skipped, pool.map(project_data, skipped), strict=True))
    by_project_page = 0
    for name, answer in answers.items():
        locked = versions.get(name, "?")
        if isinstance(answer, str):
            unchecked.append(f"{name} {locked}: {answer}")
        elif answer[0] != locked:
            unchecked.append(
                f"{name} {locked}: not the latest release ({answer[0]}), and PyPI's page for "
                "this exact version is not reachable here"
            )
        elif answer[1]:
            vulnerable.append(f"{name} {locked}: {', '.join(answer[1])}")
        else:
            by_project_page += 1

    print(
        f"{len(dependencies)} locked packages: {by_pip_audit} checked by pip-audit, "
        f"{by_project_page} by PyPI's data for their (latest) release, "
        f"{len(unchecked)} not checked, {len(vulnerable)} with known vulnerabilities."
    )
    for line in vulnerable:
        print(f"  SÅRBAR / VULNERABLE  {line}")
    for line in unchecked:
        print(f"  IKKE SJEKKET / NOT CHECKED  {line}")
    return 1 if vulnerable or unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
