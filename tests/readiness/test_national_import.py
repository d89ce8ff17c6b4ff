"""The national import: real shared files, idempotency, messy synthetic rows, lags in working days."""

from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command

from readiness.national import (
    Grade,
    LocalAuthority,
    NationalImportRun,
    PublishedInspection,
    national_import,
    parse_grade,
    parse_uk_date,
    publication_lags_by_year,
)

pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR.parent / "shared" / "data"
OUTCOMES = DATA / "ofsted_ilacs_outcomes.csv"
LOOKUP = DATA / "la_lookup.csv"
needs_shared_data = pytest.mark.skipif(
    not (OUTCOMES.is_file() and LOOKUP.is_file()), reason="shared reference data not present"
)

LOOKUP_HEADER = (
    "\ufeffurn,la_code,la_code_new,stat_neighbours,stat_neighbours_la_code,local_authority_ons_name,"
    "also_known_as,region_name,ons_population_0-25,ons_la_type\n"
)
OUTCOMES_HEADER = (
    "urn,local_authority,inspection_link,pdf_filename,publication_date,inspection_framework,"
    "inspector_name,inspection_start_date,inspection_end_date,overall_effectiveness_grade,"
    "impact_of_leaders_grade,help_and_protection_grade,in_care_grade,care_leavers_grade,parser_version\n"
)


def _reasons(run):
    return [problem["reason"] for problem in run.problems]


@needs_shared_data
def test_national_import_real_files_keeps_rows_and_reports_the_messy_ones():
    run = national_import(outcomes_path=OUTCOMES, lookup_path=LOOKUP)

    assert run.authorities_imported > 150
    assert run.imported > 400
    assert LocalAuthority.objects.count() == run.authorities_imported
    assert PublishedInspection.objects.count() == run.imported == run.created
    assert PublishedInspection.objects.exclude(overall=None).count() > 250
    reasons = " | ".join(_reasons(run))
    assert (
        "'inspection_pre_dates_judgement' (the report predates that judgement) — kept without it" in reasons
    )
    assert "'not_reported_post_reform'" in reasons
    assert "framework is 'inspection duration longer than standard framework'" in reasons
    assert "only the report link and publication date could be read" in reasons
    # A retired neighbour code is matched through the old-code list rather than dropped.
    assert "matched by old code 370 to Barnsley (E08000038)" in reasons
    assert all(problem["reason"].startswith(f"row {problem['row']}: ") for problem in run.problems)
    # The BOM does not leak into the first column name.
    assert LocalAuthority.objects.filter(urn="80486", name="Barking and Dagenham").exists()


@needs_shared_data
def test_national_import_again_changes_nothing():
    national_import(outcomes_path=OUTCOMES, lookup_path=LOOKUP)
    history_before = (
        PublishedInspection.history.count(),
        LocalAuthority.history.count(),
    )
    again = national_import(outcomes_path=OUTCOMES, lookup_path=LOOKUP)

    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == again.imported
    assert (PublishedInspection.history.count(), LocalAuthority.history.count()) == history_before
    assert NationalImportRun.objects.count() == 2


@pytest.fixture
def small_files(tmp_path):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(
        LOOKUP_HEADER
        + '1001,101,E06000901,"102","E06000902",Northbridge,,North East,50000,Unitary Authority\n'
        + '1002,102,E06000902,"101, 199","E06000998, E06000999",Southbridge,[Sbridge],North East,,\n',
        encoding="utf-8",
    )
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        OUTCOMES_HEADER
        # row 2: clean
        + "1001,northbridge,https://files.example/1,r.pdf,01/04/19,standard,A Lead,18/02/2019,01/03/2019,"
        "good,good,requires improvement to be good,outstanding,inspection_pre_dates_judgement,1\n"
        # row 3: a date that does not exist, and a date in the framework column
        + "1002,southbridge,https://files.example/2,r.pdf,31/02/2020,12/03/2020,B Lead,02/03/2020,13/03/2020,"
        "inadequate,inadequate,inadequate,requires improvement,inspection_pre_dates_judgement,1\n"
        # row 4: an authority nobody knows
         + "9999,xyz,https://files.example/3,r.pdf,01/05/2021,short,C Lead,12/04/2021,16/04/2021,"
        "good,good,good,good,good,1\n"
        # row 5: matched by name though the URN is unknown; no link
        + "8888,Sbridge,,r.pdf,01/05/2021,short,C Lead,12/04/2021,16/04/2021,good,good,good,good,good,1\n"
        # row 6: the same report as row 2
        + "1001,northbridge,https://files.example/1,r.pdf,01/04/19,standard,A Lead,18/02/2019,01/03/2019,"
        "good,good,good,good,good,1\n",
        encoding="utf-8",
    )
    return outcomes, lookup


def test_national_import_small_file_keeps_what_it_can_and_says_why(small_files):
    outcomes, lookup = small_files
    run = national_import(outcomes_path=outcomes, lookup_path=lookup)

    assert (run.imported, run.skipped, run.authorities_imported) == (2, 3, 2)
    reasons = _reasons(run)
    assert "row 3: publication date '31/02/2020' is not a real dd/mm/yyyy date — kept without it" in reasons
    assert "row 3: framework column holds a date ('12/03/2020'), not short or standard" in " ".join(reasons)
    assert "row 4: local authority 'xyz' (URN 9999) is not in the lookup — skipped" in reasons
    assert "row 5: no report link, so the row cannot be matched again later — skipped" in reasons
    assert "row 6: same report link as row 2 — skipped" in reasons
    assert "row 3: statistical neighbour E06000999 is not in the lookup — left out" in reasons
    assert (
        "row 3: statistical neighbour E06000998 is not in the lookup; matched by old code 101 to "
        "Northbridge (E06000901)" in reasons
    )
    assert LocalAuthority.objects.get(urn="1002").stat_neighbours == ["E06000901"]
    assert "row 3: Southbridge has no population aged 0 to 25 — kept without it" in reasons

    clean = PublishedInspection.objects.get(report_url="https://files.example/1")
    assert clean.publication_lag == 21  # Fri 1 Mar 2019 to Mon 1 Apr 2019
    assert (clean.overall, clean.help_and_protection, clean.in_care) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.OUTSTANDING,
    )
    assert clean.care_leavers is None
    messy = PublishedInspection.objects.get(report_url="https://files.example/2")
    assert (messy.published_on, messy.framework, messy.publication_lag) == (None, "", None)
    assert messy.overall == Grade.INADEQUATE
    assert LocalAuthority.objects.get(urn="1001").stat_neighbours == ["E06000902"]


def test_national_import_file_without_the_needed_columns_imports_nothing_from_it(tmp_path, small_files):
    _, lookup = small_files
    outcomes = tmp_path / "wrong.csv"
    outcomes.write_text("name,grade\nx,good\n", encoding="utf-8")
    run = national_import(outcomes_path=outcomes, lookup_path=lookup)

    assert (run.imported, run.skipped) == (0, 1)
    assert _reasons(run)[-1].startswith("row 1: the header has no urn, local_authority, inspection_link")


def test_national_import_newer_file_updates_a_changed_grade(small_files):
    outcomes, lookup = small_files
    national_import(outcomes_path=outcomes, lookup_path=lookup)
    outcomes.write_text(
        outcomes.read_text().replace(
            "good,good,requires improvement to be good", "outstanding,good,requires improvement to be good"
        )
    )
    run = national_import(outcomes_path=outcomes, lookup_path=lookup)

    assert (run.updated, run.created) == (1, 0)
    inspection = PublishedInspection.objects.get(report_url="https://files.example/1")
    assert inspection.overall == Grade.OUTSTANDING
    assert inspection.history.count() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09/05/25", date(2025, 5, 9)),
        ("17/03/2025", date(2025, 3, 17)),
        ("", None),
        (" 1/2/2019 ", date(2019, 2, 1)),
    ],
)
def test_parse_uk_date_reads_both_year_lengths(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2020", "2020-03-01", "short"])
def test_parse_uk_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_uk_date(text)


@pytest.mark.parametrize(
    ("text", "code", "has_note"),
    [
        ("Good", Grade.GOOD, False),
        ("requires improvement to be good", Grade.REQUIRES_IMPROVEMENT, False),
        ("to requires improvement", Grade.REQUIRES_IMPROVEMENT, True),
        ("inspection_pre_dates_judgement", None, True),
        ("data_unreadable", None, True),
        ("", None, True),
    ],
)
def test_parse_grade_normalises_or_explains(text, code, has_note):
    got, note = parse_grade(text)
    assert got == code
    assert bool(note) is has_note


def test_publication_lags_by_year_gives_median_and_quartiles(small_files):
    outcomes, lookup = small_files
    national_import(outcomes_path=outcomes, lookup_path=lookup)
    (row,) = publication_lags_by_year()
    assert (row.year, row.n, row.median, row.p25, row.p75) == (2019, 1, 21, 21, 21)


def test_import_national_command_prints_counts_and_each_row(small_files, capsys):
    outcomes, lookup = small_files
    call_command("import_national", "--outcomes", str(outcomes), "--lookup", str(lookup))
    out = capsys.readouterr().out
    assert "2 inspections imported" in out
    assert "row 4: local authority 'xyz' (URN 9999) is not in the lookup — skipped" in out


def test_import_national_command_exits_2_when_a_file_is_missing(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_national", "--outcomes", str(tmp_path / "nope.csv"))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "does not exist" in err


def test_import_national_command_demo_home_borrows_a_london_borough_once(small_files):
    from readiness.national import home_authority_get, home_authority_set

    outcomes, lookup = small_files
    call_command("import_national", "--outcomes", str(outcomes), "--lookup", str(lookup), "--demo-home")
    assert home_authority_get() is None  # no London Borough in the small lookup

    lookup.write_text(lookup.read_text(encoding="utf-8").replace("Unitary Authority", "London Borough"))
    call_command("import_national", "--outcomes", str(outcomes), "--lookup", str(lookup), "--demo-home")
    home = home_authority_get()
    assert (home.local_authority.urn, home.borrowed_for_demo) == ("1001", True)

    # A choice a performance manager made is never overwritten by seeding the demo again.
    home_authority_set(local_authority=LocalAuthority.objects.get(urn="1002"))
    call_command("import_national", "--outcomes", str(outcomes), "--lookup", str(lookup), "--demo-home")
    assert (home_authority_get().local_authority.urn, home_authority_get().borrowed_for_demo) == (
        "1002",
        False,
    )


def test_national_import_survives_an_unreadable_csv_tail_and_absurd_cells(tmp_path, small_files):
    outcomes, _ = small_files
    lookup = tmp_path / "odd_lookup.csv"
    lookup.write_text(
        LOOKUP_HEADER
        + '1001,101,E06000901,"102","E06000902",Northbridge,,North East,99999999999,Unitary Authority\n'
        + f"1003,103,E06000903,,,{'N' * 500},,North East,1,County\n"
        + '1002,102,E06000902,"101","E06000901",Southbridge,,North East,"lots",\n'
        + f'1004,104,E06000904,,,"{"x" * 200_000}",,,,\n',
        encoding="utf-8",
    )
    run = national_import(outcomes_path=outcomes, lookup_path=lookup)

    reasons = _reasons(run)
    assert "row 2: population 99999999999 is too large to be real — kept without it" in reasons
    assert "row 3: the URN or the name is far too long to be real — skipped" in reasons
    assert "row 4: population 'lots' is not a whole number — kept without it" in reasons
    assert any(reason.startswith("row 5: the file cannot be read from here on (") for reason in reasons)
    assert (run.authorities_imported, run.authorities_skipped) == (2, 1)
    assert LocalAuthority.objects.get(urn="1001").population_0_25 is None
