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
    return 3 if strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
