"""Cell readers: dates, month/year of birth, yes/no, categories, child IDs, header aliases."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.imports import values
from casework.imports.case_list import read_case_list
from casework.imports.columns import header_map
from casework.imports.problems import CellError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07/03/2024", datetime.date(2024, 3, 7)),
        ("7/3/2024", datetime.date(2024, 3, 7)),
        ("2024-03-07", datetime.date(2024, 3, 7)),
        ("2024-03-07T00:00:00", datetime.date(2024, 3, 7)),
        ("45358", datetime.date(2024, 3, 7)),
        (45358, datetime.date(2024, 3, 7)),
        (45358.0, datetime.date(2024, 3, 7)),
        (datetime.datetime(2024, 3, 7, 0, 0), datetime.date(2024, 3, 7)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_reads_uk_iso_and_excel_dates(raw, expected):
    assert values.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/2024", "'31/02/2024' is not a real date: February 2024 has 29 days"),
        ("29/02/2023", "'29/02/2023' is not a real date: February 2023 has 28 days"),
        (
            "01/13/2024",
            "'01/13/2024' is not a real date: there is no month 13; use dd/mm/yyyy, for example 07/03/2024",
        ),
        ("tomorrow", "'tomorrow' is not a date; use dd/mm/yyyy, for example 07/03/2024"),
        ("01/01/1890", "'01/01/1890' is outside the years 1990 to 2100"),
        ("45358.5", "'45358.5' is not a date; use dd/mm/yyyy, for example 07/03/2024"),
        ("12", "'12' is not a date; use dd/mm/yyyy, for example 07/03/2024"),
    ],
)
def test_parse_date_explains_what_is_wrong(raw, message):
    with pytest.raises(CellError) as error:
        values.parse_date(raw)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/2015", (2015, 3)),
        ("2015-03", (2015, 3)),
        ("March 2015", (2015, 3)),
        ("Mar 2015", (2015, 3)),
        ("17/03/2015", (2015, 3)),
        ("2015-03-17", (2015, 3)),
        (datetime.datetime(2015, 3, 17), (2015, 3)),
        ("", None),
    ],
)
def test_parse_month_year_keeps_only_month_and_year(raw, expected):
    assert values.parse_month_year(raw) == expected


@pytest.mark.parametrize("raw", ["1", "M", "m", "Male", " MALE ", "1 - Male", "1-Male", "boy"])
def test_parse_gender_reads_every_spelling_of_male(raw):
    assert values.parse_gender(raw) == "male"


@pytest.mark.parametrize(("raw", "expected"), [("2 - Female", "female"), ("0", "unknown"), ("9", "unknown")])
def test_parse_gender_reads_codes(raw, expected):
    assert values.parse_gender(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", None),
    ],
)
def test_parse_yes_no_reads_every_spelling(raw, expected):
    assert values.parse_yes_no(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CIN", "child_in_need"),
        ("LAC", "looked_after"),
        ("child protection plan", "child_protection"),
        ("Early_Help", "early_help"),
        ("CL", "care_leaver"),
    ],
)
def test_parse_cohort_reads_common_abbreviations(raw, expected):
    assert values.parse_cohort(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("U4", "foster"), ("K2", "childrens_home"), ("Children's home", "childrens_home")]
)
def test_parse_placement_type_reads_903_codes(raw, expected):
    assert values.parse_placement_type(raw) == expected


def test_parse_child_id_trims_and_upper_cases_but_refuses_inner_spaces():
    assert values.parse_child_id("  c0012 ") == "C0012"
    with pytest.raises(CellError, match="contains a space"):
        values.parse_child_id("C 0012")


@pytest.mark.parametrize("header", ["Child ID", "child_id", "CHILD UNIQUE ID", " child-id ", "ChildID"])
def test_header_map_accepts_every_alias_of_child_id(header):
    mapping, problems = header_map([header, "Gender"])
    if header == "ChildID":
        assert problems  # no separator: not a spelling we know
        return
    assert problems == []
    assert mapping.index == {"child_id": 0, "gender": 1}
    assert mapping.label("child_id") == header.strip()


@pytest.mark.parametrize(
    "header", ["Name", "Forename", "Surname", "Address line 1", "Postcode", "NHS number", "UPN"]
)
def test_header_map_refuses_personal_identifiers(header):
    _, problems = header_map(["child_id", header])
    assert [p.column for p in problems] == [header]
    assert "personal identifier" in problems[0].message


def test_header_map_ignores_unknown_harmless_columns():
    mapping, problems = header_map(["child_id", "Team", "Allocated worker"])
    assert problems == [] and mapping.ignored == ["Team", "Allocated worker"]


cells = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(alphabet="0123456789/-. ", max_size=12),
    st.sampled_from(["=cmd|' /C calc'!A0", "\x00", "x" * 10_000, "31/02/2024", "1 - Male", "yes", "LAC"]),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True),
    st.dates(),
)


@given(st.lists(st.lists(cells, min_size=0, max_size=10), min_size=1, max_size=5))
def test_read_case_list_never_raises_and_each_bad_row_is_a_problem(rows):
    header = [
        "child_id",
        "date_of_birth",
        "gender",
        "disability",
        "cohort",
        "episode_start",
        "event_type",
        "event_date",
        "event_value",
        "placement_type",
        "placement_in_area",
        "placement_start",
    ]
    plan, problems = read_case_list(enumerate([header, *rows], start=1))
    bad_rows = {p.row for p in problems.items}
    assert all(row is None or 2 <= row <= len(rows) + 1 for row in bad_rows)
    assert len(plan.children) <= len(rows)
