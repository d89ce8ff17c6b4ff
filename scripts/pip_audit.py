"""Audit the installed, pinned dependency set with pip-audit, and say plainly what was not audited.

Usage: python scripts/pip_audit.py [--strict]

pip-audit asks a vulnerability service about every installed distribution. When the service cannot
be reached it does not fail: the PyPI service answers "not found" for every package and pip-audit
exits 0 with nothing audited, which reads like a pass. This wrapper reads pip-audit's JSON and
prints one of:

    pip-audit: 0 known vulnerabilities in N packages (service: pypi)
    pip-audit: K known vulnerabilities in N packages — FAILED            (exit 1)
    pip-audit: NOT AUDITED — M of N packages could not be checked: …     (exit 0, or 3 with --strict)

Exit 1 for any known vulnerability, always. An unreachable service is reported, not hidden; CI on
a machine with no route to the vulnerability services runs without --strict (see README, "Security
checks"), and a networked CI should pass --strict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SERVICES = ("pypi", "osv")
TIMEOUT_SECONDS = 300


def pinned_requirements() -> str:
    """The exact versions installed in this virtualenv (our own editable project left out)."""
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return "\n".join(line for line in frozen.splitlines() if line and not line.startswith("-e "))


def pip_audit_command() -> list[str]:
    here = Path(sys.executable).parent / "pip-audit"
    found = str(here) if here.exists() else shutil.which("pip-audit")
    if not found:
        raise SystemExit("pip-audit is not installed: run `make install` (it is a dev dependency).")
    return [found]


def run_service(service: str, requirements: Path) -> tuple[dict | None, str]:
    """Return (pip-audit's JSON report, or None when the run itself failed; the reason)."""
    command = pip_audit_command() + [
        "--requirement",
        str(requirements),
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    try:
        # Our own fixed argument list; the only path in it is a temporary file we wrote.
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)  # noqa: S603
    except subprocess.TimeoutExpired:
        return None, f"{service}: no answer within {TIMEOUT_SECONDS} s"
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"{service}: {last[:200]}"


def summarise(report: dict) -> tuple[int, list[str], list[str]]:
    """(packages, vulnerability lines, packages not audited) from a pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    vulnerable, skipped = [], []
    for dependency in dependencies:
        if dependency.get("skip_reason"):
            skipped.append(dependency["name"])
            continue
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fix yet"
            name = f"{dependency['name']} {dependency.get('version', '')}"
            vulnerable.append(f"  {name}: {vulnerability.get('id')} (fixed in {fixed})")
    return len(dependencies), vulnerable, skipped


def main(argv: list[str]) -> int:
    strict = "--strict" in argv or os.environ.get("PIP_AUDIT_STRICT") == "1"
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "requirements.txt"
        requirements.write_text(pinned_requirements() + "\n")
        reasons = []
        for service in SERVICES:
            report, reason = run_service(service, requirements)
            if report is None:
                reasons.append(reason)
                continue
            total, vulnerable, skipped = summarise(report)
            if vulnerable:
                print(f"pip-audit: {len(vulnerable)} known vulnerabilities in {total} packages — FAILED")
                print("\n".join(vulnerable))
                return 1
            if not skipped:
                print(f"pip-audit: 0 known vulnerabilities in {total} packages (service: {service})")
                return 0
            reasons.append(
                f"{service}: {len(skipped)} of {total} packages could not be checked "
                f"(e.g. {', '.join(skipped[:3])})"
            )
    print("pip-audit: NOT AUDITED — no vulnerability service answered for the pinned set:")
    print("\n".join(f"  {reason}" for reason in reasons))
    if newest_release_check(pinned_requirements()):
        return 1
    return 3 if strict else 0


PROJECT_PAGE = "https://pypi.org/pypi/{name}/json"
PAGE_TIMEOUT_SECONDS = 15


def fetch_project(name: str) -> dict | None:
    """PyPI's project page as JSON (the newest release's metadata and known vulnerabilities), or None."""
    url = PROJECT_PAGE.format(name=urllib.parse.quote(name))
    try:
        # A fixed https URL on pypi.org; the name comes from `pip freeze`.
        with urllib.request.urlopen(url, timeout=PAGE_TIMEOUT_SECONDS) as answer:  # noqa: S310  # nosec B310
            return json.load(answer)
    except (OSError, ValueError):
        return None


def _canonical(version: str) -> str:
    return version.strip().lower()


def newest_release_check(requirements: str) -> bool:
    """A partial audit when no service answers: PyPI's project page lists the known vulnerabilities
    of a project's newest release only, so each pinned package that IS its newest release is checked
    there; the others are named as not checked. Prints one summary; returns whether any is vulnerable.
    """
    pins = [line.split("==", 1) for line in requirements.splitlines() if "==" in line]
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(lambda pin: fetch_project(pin[0]), pins))
    checked, older, unreachable, vulnerable = [], [], [], []
    for (name, version), page in zip(pins, pages, strict=True):
        if page is None:
            unreachable.append(name)
            continue
        newest = str(page.get("info", {}).get("version", ""))
        if _canonical(newest) != _canonical(version):
            older.append(f"{name} {version} (newest {newest})")
            continue
        checked.append(name)
        for vulnerability in page.get("vulnerabilities") or []:
            if vulnerability.get("withdrawn"):
                continue
            fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fix yet"
            vulnerable.append(f"  {name} {version}: {vulnerability.get('id')} (fixed in {fixed})")
    total = len(pins)
    if vulnerable:
        found = len(vulnerable)
        print(f"PyPI project pages: {found} known vulnerabilities in the newest releases we pin — FAILED")
        print("\n".join(vulnerable))
        return True
    not_audited = len(older) + len(unreachable)
    print(
        f"PyPI project pages (newest release only): checked {len(checked)} of {total} pinned packages, "
        f"each its newest release, none with a known vulnerability; NOT AUDITED: {len(older)} older "
        f"releases and {len(unreachable)} pages that did not answer ({not_audited} in all)"
        + (":" if older or unreachable else "")
    )
    # Name every package not audited: the list is short, and a reader must see which ones to check.
    for line in older + [f"{name} (its PyPI page did not answer)" for name in unreachable]:
        print(f"  {line}")
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
