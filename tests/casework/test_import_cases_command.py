"""import_cases: exit 0 with counts, exit 1 with one line per problem, exit 2 for an unreadable file."""

import pytest
from django.core.management import call_command

from casework.models import Child
from tests.casework.conftest import FILES, casework_table_counts

pytestmark = pytest.mark.django_db

GOOD_FIRST = (
    "Imported 11 rows: 20 created, 0 updated, 0 unchanged (children 4 created, 0 updated, 0 unchanged, "
    "episodes 4 created, 0 updated, 0 unchanged, placements 1 created, 0 updated, 0 unchanged, "
    "events 11 created, 0 updated, 0 unchanged).\n"
)
GOOD_AGAIN = (
    "Imported 11 rows: 0 created, 0 updated, 20 unchanged (children 0 created, 0 updated, 4 unchanged, "
    "episodes 0 created, 0 updated, 4 unchanged, placements 0 created, 0 updated, 1 unchanged, "
    "events 0 created, 0 updated, 11 unchanged).\n"
)


def _run(capsys, *args):
    try:
        call_command("import_cases", *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_import_cases_exits_0_and_prints_counts_when_every_row_is_good(capsys):
    assert _run(capsys, str(FILES / "good.csv")) == (0, GOOD_FIRST, "")
    assert _run(capsys, str(FILES / "good.csv")) == (0, GOOD_AGAIN, "")


def test_import_cases_dry_run_prints_counts_and_saves_nothing(capsys):
    code, out, _ = _run(capsys, str(FILES / "good.csv"), "--dry-run")
    assert code == 0
    assert out.startswith("Checked (dry run, nothing saved) 11 rows: 20 created, 0 updated, 0 unchanged")
    assert Child.objects.count() == 0


def test_import_cases_exits_1_with_one_line_per_problem_and_saves_nothing(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "child_id,gender,event_type,event_date,Postcode\nC1,M,referral,31/02/2024,\n",
        encoding="utf-8",
    )
    before = casework_table_counts()
    code, out, _ = _run(capsys, str(path))
    assert code == 1
    assert out == (
        "row 1, column Postcode: 'Postcode' looks like a personal identifier; we keep pseudonymous child IDs "
        "only, so delete this column and import again\n"
    )
    path.write_text("child_id,gender,event_type,event_date\nC1,Q,referral,31/02/2024\n , M,visit,\n")
    code, out, _ = _run(capsys, str(path))
    assert code == 1
    assert out.splitlines() == [
        "row 2, column gender: 'Q' is not a gender we know; "
        "use male, female, other or not known (or 1, 2, 0)",
        "row 2, column event_date: '31/02/2024' is not a real date: February 2024 has 29 days",
        "row 3, column child_id: the child ID is missing; every row needs one",
        "row 3, column event_date: the event date is missing; a row with an event type needs one",
    ]
    assert casework_table_counts() == before


def test_import_cases_exits_2_with_one_line_when_the_file_is_missing(capsys, tmp_path):
    assert _run(capsys, str(tmp_path / "nope.csv")) == (
        2,
        "",
        f"Cannot read {tmp_path / 'nope.csv'}: No such file or directory.\n",
    )
