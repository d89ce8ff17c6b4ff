"""The framework library pages (read-only) and uploading a framework file through the browser."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from readiness import roles
from tests.factories.inspections import Ilacs2019Factory, framework

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)


def url(name, **kwargs):
    return reverse(f"inspections:{name}", kwargs=kwargs)


# ---------------------------------------------------------------------------
# Library: list and detail
# ---------------------------------------------------------------------------


def test_list_shows_each_framework_with_its_counts(client_for):
    Ilacs2019Factory()
    Ilacs2019Factory()
    page = client_for(PM).get(url("framework-list")).content.decode()
    ilacs = framework("ilacs-2018")
    row = page[page.index(escape(ilacs.name)) :]
    row = row[: row.index("</tr>")]
    assert "ilacs-2018" in row
    assert "2 inspections" in row
    assert f">{ilacs.areas.count()}<" in row
    assert "Graded" in row
    # An ungraded framework says so, and one nobody uses shows 0.
    clas = framework("cqc-clas-2013")
    clas_row = page[page.index(escape(clas.name)) :]
    clas_row = clas_row[: clas_row.index("</tr>")]
    assert "Not graded" in clas_row and "0 inspections" in clas_row


def test_detail_shows_areas_grades_rules_and_milestone_rules_in_words(client_for):
    page = client_for(AUD).get(url("framework-detail", code="sif-2013")).content.decode()
    sif = framework("sif-2013")
    for area in sif.areas.all():
        assert escape(area.name) in page
    assert "Requires improvement" in page and "Inadequate" in page
    assert "Limiting rule" in page
    assert "can be no better than Inadequate" in page
    assert "(SIF limiting rule)" in page  # the stored message, as in the file
    assert "Draft report sent to the DCS: 15 working days after the last on-site day" in page


def test_detail_words_the_improvement_plan_rule_from_the_final_report(client_for):
    page = client_for(DCS).get(url("framework-detail", code="ilacs-2023")).content.decode()
    assert "70 working days after the final report is received" in page
    assert "Statutory deadline" in page
    assert "Only when Overall effectiveness" in page  # the next-inspection window's condition


def test_detail_of_an_unknown_framework_is_404(client_for):
    assert client_for(PM).get(url("framework-detail", code="no-such-framework")).status_code == 404


@pytest.mark.parametrize(("role", "status"), [(PM, 200), (DCS, 200), (AUD, 200), (ADM, 200), (BM, 403)])
def test_library_is_for_roles_that_view_inspections_and_board_members_are_refused(client_for, role, status):
    client = client_for(role)
    assert client.get(url("framework-list")).status_code == status
    assert client.get(url("framework-detail", code="ilacs-2023")).status_code == status


def test_inspection_list_links_to_the_library(client_for):
    page = client_for(AUD).get(url("inspection-list")).content.decode()
    assert url("framework-list") in page
