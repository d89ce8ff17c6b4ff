"""scripts/pip_audit.py: a vulnerability fails, an unreachable service is "NOT AUDITED", never a pass."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pip_audit.py"


@pytest.fixture
def pip_audit():
    spec = importlib.util.spec_from_file_location("pip_audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.pinned_requirements = lambda: "django==5.2.19\nredis==5.2.1"
    module.fetch_project = lambda name: None  # no network in tests: each test says what PyPI answers
    return module


def report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "redis",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.2"], "aliases": [], "description": ""}],
}
NOT_FOUND = {"name": "redis", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def answering(pip_audit, answers):
    """Make run_service return the given (report, reason) per service, in order."""
    calls = iter(answers)
    pip_audit.run_service = lambda service, requirements: next(calls)


def test_a_known_vulnerability_fails_and_names_the_package(pip_audit, capsys):
    answering(pip_audit, [(report(CLEAN, VULNERABLE), "")])

    assert pip_audit.main([]) == 1
    out = capsys.readouterr().out
    assert "1 known vulnerabilities in 2 packages — FAILED" in out
    assert "redis 5.2.1: PYSEC-0000-1 (fixed in 5.2.2)" in out


def test_every_package_checked_and_clean_passes(pip_audit, capsys):
    answering(pip_audit, [(report(CLEAN, {**VULNERABLE, "vulns": []}), "")])

    assert pip_audit.main([]) == 0
    assert "0 known vulnerabilities in 2 packages (service: pypi)" in capsys.readouterr().out


def test_packages_the_service_could_not_check_are_not_a_pass(pip_audit, capsys):
    # What PyPI's service returns through a proxy that hides its JSON API: exit 0, nothing audited.
    answering(pip_audit, [(report(CLEAN, NOT_FOUND), ""), (None, "osv: cannot resolve api.osv.dev")])

    assert pip_audit.main([]) == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out
    assert "pypi: 1 of 2 packages could not be checked (e.g. redis)" in out
    assert "osv: cannot resolve api.osv.dev" in out
    assert "0 known vulnerabilities" not in out


def test_strict_makes_not_audited_an_error(pip_audit, capsys):
    answering(pip_audit, [(None, "pypi: down"), (None, "osv: down")])

    assert pip_audit.main(["--strict"]) == 3
    assert "NOT AUDITED" in capsys.readouterr().out


def test_the_second_service_is_used_when_the_first_cannot_check(pip_audit, capsys):
    answering(pip_audit, [(report(NOT_FOUND), ""), (report(VULNERABLE), "")])

    assert pip_audit.main([]) == 1


def test_run_service_reads_pip_audit_json_or_reports_the_failure(pip_audit, tmp_path, monkeypatch):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("django==5.2.19\n")

    class Done:
        def __init__(self, stdout, stderr=""):
            self.stdout, self.stderr = stdout, stderr

    monkeypatch.setattr(pip_audit, "pip_audit_command", lambda: ["pip-audit"])
    monkeypatch.setattr(pip_audit.subprocess, "run", lambda *a, **k: Done(json.dumps(report(CLEAN))))
    assert pip_audit.run_service("pypi", requirements) == (report(CLEAN), "")

    monkeypatch.setattr(
        pip_audit.subprocess, "run", lambda *a, **k: Done("", "Traceback…\nConnectionError: no route")
    )
    assert pip_audit.run_service("osv", requirements) == (None, "osv: ConnectionError: no route")


def _pages(pip_audit, pages: dict):
    pip_audit.fetch_project = lambda name: pages.get(name)


def test_with_no_service_the_newest_releases_are_checked_on_pypi_project_pages(pip_audit, capsys):
    answering(pip_audit, [(None, "pypi: down"), (None, "osv: down")])
    _pages(
        pip_audit,
        {
            "django": {"info": {"version": "6.1.3"}, "vulnerabilities": []},  # we pin an older release
            "redis": {"info": {"version": "5.2.1"}, "vulnerabilities": []},
        },
    )
    assert pip_audit.main([]) == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out
    assert "checked 1 of 2 pinned packages, each its newest release, none with a known vulnerability" in out
    assert "NOT AUDITED: 1 older releases and 0 pages that did not answer" in out
    assert "django 5.2.19 (newest 6.1.3)" in out
    assert "\n  django 5.2.19 (newest 6.1.3)\n" in out  # every one named, a line each
    answering(pip_audit, [(None, "pypi: down"), (None, "osv: down")])
    assert pip_audit.main(["--strict"]) == 3  # a partial audit is still not a pass


def test_a_vulnerability_in_a_pinned_newest_release_fails(pip_audit, capsys):
    answering(pip_audit, [(None, "pypi: down"), (None, "osv: down")])
    _pages(
        pip_audit,
        {
            "redis": {
                "info": {"version": "5.2.1"},
                "vulnerabilities": [
                    {"id": "GHSA-xxxx", "fixed_in": [], "withdrawn": None},
                    {"id": "PYSEC-withdrawn", "fixed_in": ["5.2.2"], "withdrawn": "2026-01-01"},
                ],
            }
        },
    )
    assert pip_audit.main([]) == 1
    out = capsys.readouterr().out
    assert "redis 5.2.1: GHSA-xxxx (fixed in no fix yet)" in out and "PYSEC-withdrawn" not in out


def test_pages_that_do_not_answer_are_not_audited(pip_audit, capsys):
    answering(pip_audit, [(None, "pypi: down"), (None, "osv: down")])
    _pages(pip_audit, {})
    assert pip_audit.main([]) == 0
    assert "checked 0 of 2 pinned packages" in capsys.readouterr().out
