"""``manage.py workingdays``: the exact output contract scripts rely on."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workingdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_add_prints_the_date():
    assert run("add", "2019-03-27", "70")[0] == "2019-07-09\n"


@pytest.mark.django_db
def test_between_prints_the_count():
    assert run("between", "2019-03-01", "2019-04-01")[0] == "21\n"
    assert run("between", "2019-04-01", "2019-03-01")[0] == "-21\n"


@pytest.mark.django_db
def test_negative_and_zero_n():
    assert run("add", "2019-07-09", "-70")[0] == "2019-03-27\n"
    assert run("add", "2019-04-19", "0")[0] == "2019-04-19\n"


@pytest.mark.django_db
def test_explain_lists_skipped_days_after_the_answer():
    out, _ = run("add", "2019-03-27", "70", "--explain")
    assert out.splitlines() == [
        "2019-07-09",
        "2019-04-19 Good Friday",
        "2019-04-22 Easter Monday",
        "2019-05-06 Early May bank holiday",
        "2019-05-27 Spring bank holiday",
    ]
    out, _ = run("between", "2022-06-01", "2022-06-08", "--explain")
    assert out.splitlines() == [
        "3",
        "2022-06-02 Spring bank holiday",
        "2022-06-03 Platinum Jubilee of Elizabeth II",
    ]
    out, _ = run("add", "2019-03-04", "5", "--explain")
    assert out.splitlines() == ["2019-03-11"]


@pytest.mark.django_db
def test_uses_local_calendar_changes_from_the_database():
    from inspections.models import NonWorkingDay

    NonWorkingDay.objects.create(date=date(2019, 4, 3), name="Office move", kind="closed")
    NonWorkingDay.objects.create(date=date(2019, 5, 6), name="Worked", kind="working")
    out, _ = run("add", "2019-04-01", "2", "--explain")
    assert out.splitlines() == ["2019-04-04", "2019-04-03 Office move"]
    assert run("add", "2019-05-03", "1")[0] == "2019-05-06\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ("add", "2019-02-30", "1"),
        ("add", "27/03/2019", "1"),
        ("add", "2019-03-27", "seventy"),
        ("add", "2019-03-27", "1.5"),
        ("add", "1800-01-01", "1"),
        ("add", "2019-03-27", "1000000"),
        ("between", "2019-03-01", "tomorrow"),
    ],
)
def test_bad_input_raises_command_error_with_returncode_2(args):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    assert "\n" not in str(info.value)


def _manage(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SECRET_KEY": "test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "workingdays", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_stdout_and_exit_codes(tmp_path):
    ok = _manage(tmp_path, "add", "2019-03-27", "70")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "2019-07-09\n"

    bad_date = _manage(tmp_path, "add", "2019-13-01", "70")
    assert bad_date.returncode == 2
    assert bad_date.stdout == ""
    assert len(bad_date.stderr.strip().splitlines()) == 1

    bad_n = _manage(tmp_path, "between", "2019-03-01", "x")
    assert bad_n.returncode == 2
    assert len(bad_n.stderr.strip().splitlines()) == 1

    missing = _manage(tmp_path, "add", "2019-03-27")
    assert missing.returncode == 2
