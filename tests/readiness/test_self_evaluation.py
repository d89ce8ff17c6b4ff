"""Self-evaluation: Ofsted's three questions per area, the exported document, calibration, overview."""

import datetime as dt

import pytest
from django.urls import reverse

from inspections import services as inspection_services
from inspections.models import Inspection
from readiness import roles
from readiness.dashboards.models import SelfEvaluationAnswer
from readiness.dashboards.selectors import calibration
from tests.factories.inspections import InspectionFactory, framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _self_evaluation(code="ilacs-2026", notified_on=dt.date(2026, 1, 12), grades=None):
    inspection = InspectionFactory(
        kind=Inspection.Kind.SELF_EVALUATION,
        framework=framework(code),
        title=f"Self-evaluation {notified_on.year}",
        notified_on=notified_on,
    )
    if grades:
        inspection_services.judgements_record(inspection=inspection, grades=grades)
    return inspection


def _answer_url(inspection, area="leaders"):
    return reverse(
        "readiness:self-evaluation-answer", kwargs={"self_evaluation_pk": inspection.pk, "area_code": area}
    )


def test_performance_manager_answers_the_three_questions(client_for):
    inspection = _self_evaluation()
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    form = signed_in.get(_answer_url(inspection))
    assert form.status_code == 200
    assert "How do we know it?" in form.content.decode()
    response = signed_in.post(
        _answer_url(inspection),
        {
            "what_we_know": "Supervision is regular.",
            "how_we_know": "Monthly audits.",
            "what_next": "Train managers.",
        },
    )
    assert response.status_code == 302
    answer = SelfEvaluationAnswer.objects.get()
    assert (answer.area.code, answer.is_complete) == ("leaders", True)
    assert answer.history.get().history_user.username == "pm"
    detail = signed_in.get(response["Location"]).content.decode()
    assert "Monthly audits." in detail and "Not answered yet" in detail
    # Changing it again keeps one answer and adds history.
    signed_in.post(_answer_url(inspection), {"what_we_know": "Changed", "how_we_know": "", "what_next": ""})
    assert SelfEvaluationAnswer.objects.get().what_we_know == "Changed"
    assert SelfEvaluationAnswer.objects.get().history.count() == 2


def test_dcs_can_read_but_not_change_answers(client_for):
    inspection = _self_evaluation()
    dcs = client_for(roles.DCS)
    assert (
        dcs.get(
            reverse("readiness:self-evaluation-detail", kwargs={"self_evaluation_pk": inspection.pk})
        ).status_code
        == 200
    )
    assert dcs.get(_answer_url(inspection)).status_code == 403
    assert dcs.post(_answer_url(inspection), {"what_we_know": "x"}).status_code == 403


def test_an_actual_inspection_or_unknown_area_is_not_a_self_evaluation_page(client_for):
    actual = InspectionFactory(framework=framework("ilacs-2026"))
    pm = client_for(roles.PERFORMANCE_MANAGER)
    assert pm.get(_answer_url(actual)).status_code == 404
    assert pm.get(_answer_url(_self_evaluation(), area="no_such_area")).status_code == 404


def test_export_makes_a_self_evaluation_document(client_for, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    from readiness.models import Report

    inspection = _self_evaluation(grades={"leaders": "good", "help_and_protection": "requires_improvement"})
    SelfEvaluationAnswer.objects.create(
        inspection=inspection,
        area=inspection.framework.areas.get(code="leaders"),
        what_we_know="Leaders know their services well.",
        how_we_know="Practice weeks and audits.",
        what_next="Keep caseloads manageable.",
    )
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("readiness:self-evaluation-export", kwargs={"self_evaluation_pk": inspection.pk})
        )
    assert response.status_code == 302
    report = Report.objects.get(kind=Report.Kind.SELF_EVALUATION)
    assert report.parameters == {"inspection": inspection.pk}
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    with report.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Leaders know their services well." in text
    assert "How do we know it?" in text
    assert "Good" in text


def test_board_member_cannot_ask_for_a_self_evaluation_document(client_for):
    from readiness.reports.selectors import report_kinds_for
    from tests.conftest import make_user

    assert "self-evaluation" not in report_kinds_for(user=make_user(roles.BOARD_MEMBER, username="b2"))
    inspection = _self_evaluation()
    url = reverse("readiness:self-evaluation-export", kwargs={"self_evaluation_pk": inspection.pk})
    assert client_for(roles.BOARD_MEMBER).post(url).status_code == 403


def test_calibration_compares_our_grades_with_the_inspectors():
    _self_evaluation(
        code="ilacs-2023",
        notified_on=dt.date(2024, 1, 8),
        grades={"leaders": "good", "help_and_protection": "good", "children_in_care": "requires_improvement"},
    )
    actual = InspectionFactory(
        framework=framework("ilacs-2023"),
        title="ILACS 2024",
        notified_on=dt.date(2024, 6, 3),
        onsite_start_on=dt.date(2024, 6, 10),
        onsite_end_on=dt.date(2024, 6, 21),
    )
    inspection_services.judgements_record(
        inspection=actual,
        grades={
            "overall": "requires_improvement",
            "leaders": "requires_improvement",
            "help_and_protection": "good",
            "children_in_care": "good",
        },
    )
    rows = {row.area_name.split()[-1]: row for row in calibration()}
    verdicts = {row.verdict for row in rows.values()}
    assert verdicts == {"Over-graded by 1 grade", "Same", "Under-graded by 1 grade"}
    assert all(row.actual == actual for row in rows.values())


def test_calibration_table_on_the_list_page(client_for):
    html = client_for(roles.DCS).get(reverse("readiness:self-evaluation")).content.decode()
    assert "How well we know ourselves" in html
    assert "Nothing to compare yet" in html


def test_readiness_overview_shows_each_area_and_its_gaps(client_for):
    from readiness.dashboards.definitions import indicators_load

    indicators_load()
    inspection = _self_evaluation(grades={"leaders": "good", "care_leavers": "requires_improvement"})
    SelfEvaluationAnswer.objects.create(
        inspection=inspection,
        area=inspection.framework.areas.get(code="leaders"),
        what_we_know="a",
        how_we_know="Practice weeks show it.",
        what_next="c",
    )
    response = client_for(roles.PERFORMANCE_MANAGER).get(reverse("readiness:readiness-overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The impact of leaders on practice with children and families" in html
    assert "Practice weeks show it." in html
    assert "Self-assessed below good" in html
    assert "No self-evaluation grade" in html  # children in care was not graded
    assert "No case audits in the last six months" in html
    assert "without data" in html
    assert f"/self-evaluation/{inspection.pk}/#area-leaders" in html
