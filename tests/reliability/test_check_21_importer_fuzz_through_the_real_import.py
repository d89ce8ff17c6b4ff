"""Check 21: importer fuzz through the real import, not just the parser.

tests/casework/test_import_values.py fuzzes read_case_list (the parser) with hypothesis. This sends
hypothesis-made rows (unicode, 10k-character strings, NULs, `=`-prefixed text, impossible dates)
through cases_import and through the import page: never an uncaught exception or a 500, each example
either imports or reports row problems, and the database is unchanged whenever a problem is reported.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.services import cases_import
from readiness import roles
from tests.casework.conftest import casework_table_counts
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HEADER = ["child_id", "date_of_birth", "gender", "cohort", "episode_start", "event_type", "event_date"]
GOOD = ["C0001", "03/2015", "Male", "child_in_need", "02/01/2024", "referral", "02/01/2024"]
NASTY = st.sampled_from(
    ["=cmd|' /C calc'!A0", "+SUM(A1)", "@x", "a\x00b", "x" * 10_000, "31/02/2024", "29/02/2023", "0000-00-00",
     "9999-99-99", "ﬁ🦊\u202e", "  ", "\r\n"]
)  # fmt: skip
CELL = st.one_of(st.text(max_size=40), NASTY, st.sampled_from(GOOD))
ROW = st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _check(result, before):
    if result.ok:
        assert not result.problems
    else:
        assert result.problems, "a refused import must say why"
        for problem in result.problems:
            assert str(problem).strip()
        assert casework_table_counts() == before, "an import that reported problems changed the database"


@FUZZ
@given(rows=st.lists(ROW, min_size=1, max_size=6), good_rows=st.integers(min_value=0, max_value=3))
def test_fuzzed_rows_through_cases_import(rows, good_rows):
    data = _csv([GOOD] * good_rows + rows)
    before = casework_table_counts()
    result = cases_import(file=io.BytesIO(data), filename="fuzz.csv")
    _check(result, before)


@FUZZ
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_fuzzed_rows_through_the_import_page_never_500(rows):
    from django.contrib.auth.models import User

    user = User.objects.filter(username="pm").first() or make_user(roles.PERFORMANCE_MANAGER)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = casework_table_counts()
    upload = SimpleUploadedFile("fuzz.csv", _csv(rows), content_type="text/csv")
    response = client.post(reverse("casework:import"), {"file": upload})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200 and "govuk-error-summary" in response.content.decode():
        assert casework_table_counts() == before
