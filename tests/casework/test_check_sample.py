"""check_sample and sample_check: the SIF 18-case rule, in plain words."""

import pytest
from django.core.management import call_command

from casework.samples import sample_check

HEADER = "child_id,cohort,out_of_borough"


def _valid_rows(away=3):
    rows = [f"H{n},help_and_protection,no" for n in range(1, 7)]
    rows += [f"L{n},looked_after,{'yes' if n <= away else 'no'}" for n in range(1, 11)]
    rows += ["C1,care_leaver,", "C2,care_leaver,no"]
    return rows


def _write(tmp_path, lines, *, bom=False, crlf=False):
    text = ("\r\n" if crlf else "\n").join([HEADER, *lines]) + "\n"
    path = tmp_path / "sample.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def _run(capsys, path, *args):
    try:
        call_command("check_sample", str(path), *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


VALID = (
    "Sample is valid: 18 children (6 help and protection, 10 looked after of whom 3 out of borough, "
    "2 care leavers).\n"
)


@pytest.mark.parametrize(("bom", "crlf"), [(False, False), (True, False), (False, True), (True, True)])
def test_check_sample_exits_0_when_valid_with_or_without_bom_and_crlf(capsys, tmp_path, bom, crlf):
    assert _run(capsys, _write(tmp_path, _valid_rows(), bom=bom, crlf=crlf)) == (0, VALID, "")


def test_check_sample_accepts_mixed_case_and_spaces_and_every_yes_spelling(capsys, tmp_path):
    rows = _valid_rows(away=0)
    rows[6] = " l1 , Looked_After , Y "
    rows[7] = "L2,LOOKED_AFTER,true"
    rows[8] = "L3,looked_after,1"
    code, out, _ = _run(capsys, _write(tmp_path, rows), "--rule", "sif-18")
    assert (code, out) == (0, VALID)


def test_check_sample_names_every_broken_rule(capsys, tmp_path):
    rows = _valid_rows(away=1)
    rows[0] = "H1,lac,no"  # unknown cohort: 5 help and protection remain
    rows[8] = "H3,looked_after,maybe"  # H3 twice, and not yes/no
    rows.append("C3,care_leaver,no")
    code, out, _ = _run(capsys, _write(tmp_path, rows))
    assert code == 1
    assert out.splitlines() == [
        "row 2, column cohort: 'lac' is not a cohort; use help_and_protection, looked_after or care_leaver",
        "row 10, column out_of_borough: 'maybe' is not yes or no; use yes, no, y, n, true, false, 1 or 0",
        "Child H3 appears twice (rows 4 and 10).",
        "There are 5 children in need of help and protection; the SIF sample needs exactly 6.",
        "Only 1 looked-after child is placed out of borough; the SIF sample needs at least 2.",
        "There are 3 care leavers; the SIF sample needs exactly 2.",
        "There are 19 children in the file; the SIF sample needs exactly 18.",
    ]


def test_check_sample_reports_too_few_looked_after_children_out_of_borough(capsys, tmp_path):
    code, out, _ = _run(capsys, _write(tmp_path, _valid_rows(away=0)))
    assert (code, out) == (
        1,
        "Only 0 looked-after children are placed out of borough; the SIF sample needs at least 2.\n",
    )


def test_check_sample_reports_a_child_three_times(capsys, tmp_path):
    rows = _valid_rows()
    rows[1] = "H1,help_and_protection,no"
    rows[2] = "h1,help_and_protection,no"
    code, out, _ = _run(capsys, _write(tmp_path, rows))
    assert code == 1
    assert "Child H1 appears three times (rows 2, 3 and 4)." in out.splitlines()


def test_check_sample_needs_out_of_borough_for_looked_after_children(capsys, tmp_path):
    rows = _valid_rows()
    rows[15] = "L10,looked_after,"
    assert _run(capsys, _write(tmp_path, rows))[:2] == (
        1,
        "row 17, column out_of_borough: say yes or no for a looked-after child\n",
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", "The file is empty; it needs the header child_id,cohort,out_of_borough and one row per child."),
        (
            b"\xef\xbb\xbf\r\n",
            "The file is empty; it needs the header child_id,cohort,out_of_borough and one row per child.",
        ),
        (
            b"child_id,cohort,out_of_borough\r\n",
            "The file is empty; it needs the header child_id,cohort,out_of_borough and one row per child.",
        ),
        (
            b"child,cohort\nC1,looked_after\n",
            "row 1: the header must be child_id,cohort,out_of_borough; "
            "child_id and out_of_borough are missing",
        ),
    ],
)
def test_check_sample_explains_an_empty_or_badly_headed_file(capsys, tmp_path, content, line):
    path = tmp_path / "sample.csv"
    path.write_bytes(content)
    assert _run(capsys, path) == (1, line + "\n", "")


def test_check_sample_exits_2_when_the_file_is_missing(capsys, tmp_path):
    code, out, err = _run(capsys, tmp_path / "none.csv")
    assert (code, out) == (2, "")
    assert err == f"Cannot read {tmp_path / 'none.csv'}: No such file or directory.\n"


def test_sample_check_works_on_plain_mappings_without_the_database():
    rows = [{"child_id": "A", "cohort": "care_leaver", "out_of_borough": ""}]
    assert sample_check(rows, "sif-18") == [
        "There are 0 children in need of help and protection; the SIF sample needs exactly 6.",
        "There are 0 looked-after children; the SIF sample needs exactly 10.",
        "Only 0 looked-after children are placed out of borough; the SIF sample needs at least 2.",
        "There is 1 care leaver; the SIF sample needs exactly 2.",
        "There is 1 child in the file; the SIF sample needs exactly 18.",
    ]
