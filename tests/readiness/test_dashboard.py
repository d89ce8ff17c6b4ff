"""The DCS daily page and the board member home."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import Inspection
from readiness import roles
from readiness.dashboards.definitions import indicators_load
from readiness.dashboards.services import snapshots_backfill
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, MilestoneFactory, framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _demo_like(size: int = 1):
    """Inspections with grades, a plan with overdue and at-risk actions, audits, episodes, snapshots."""
    from casework.models import CaseAudit
    from tests.factories.casework import CaseAuditFactory, EpisodeFactory
    from tests.factories.plans import ActionFactory, PriorityFactory

    today = timezone.localdate()
    if not Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION).exists():
        Ilacs2019Factory()
        self_evaluation = InspectionFactory(
            kind=Inspection.Kind.SELF_EVALUATION,
            framework=framework("ilacs-2026"),
            title="Self-evaluation 2026",
            notified_on=today - dt.timedelta(days=30),
        )
        inspection_services.judgements_record(
            inspection=self_evaluation,
            grades={
                "leaders": "good",
                "help_and_protection": "requires_improvement",
                "children_in_care": "good",
                "care_leavers": "inadequate",
            },
        )
    auditor = User.objects.get_or_create(username="audit-person")[0]
    priority = PriorityFactory()
    for n in range(size):
        ActionFactory(
            priority=priority, due_on=today - dt.timedelta(days=3 + n), description=f"Overdue action {n}"
        )
        ActionFactory(priority=priority, due_on=today + dt.timedelta(days=2), description=f"Soon action {n}")
        MilestoneFactory(due_on=today + dt.timedelta(days=5 + n), name=f"Deadline {n}")
        for grade in ("good", "requires_improvement"):
            CaseAuditFactory(
                auditor=auditor,
                status=CaseAudit.Status.MODERATED,
                overall_grade=grade,
                moderator_grade=grade,
                agreement=True,
                submitted_at=timezone.now() - dt.timedelta(days=10),
                moderated_at=timezone.now() - dt.timedelta(days=9),
            )
        EpisodeFactory(cohort="looked_after", start_on=today - dt.timedelta(days=40 + n))
    indicators_load()
    snapshots_backfill(days=91, today=today)


def test_dcs_page_shows_every_block(client_for):
    _demo_like()
    response = client_for(roles.DCS).get(reverse("readiness:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Self-assessed grades against good" in html
    assert "Only good is good enough" in html
    assert "Below good" in html and "Good or better" in html
    assert "Children in care" in html  # an indicator
    assert "<svg" in html and "Weekly values over the last 13 weeks" in html  # sparkline + text
    # Every indicator has a source now (tests/readiness/test_indicator_sources.py); one with nothing
    # to measure says so rather than showing 0.
    assert "No data source yet" not in html and "No cases to measure" in html
    assert "Average caseload per social worker" in html
    assert "Overdue action 0" in html and "Soon action 0" in html
    assert "Moderators agreed the grade in 100%" in html
    assert "Deadline 0" in html and "Next 10 working days" in html
    assert "Next inspection expected" in html


def test_dcs_page_with_nothing_recorded_says_so(client_for):
    response = client_for(roles.DCS).get(reverse("readiness:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No grades recorded yet" in html
    assert "No indicators defined yet" in html
    assert "No inspection is recorded yet" in html


def _count_queries(signed_in) -> int:
    from django.core.cache import cache

    signed_in.get(reverse("readiness:dashboard"))  # warm: the nightly parts are cached
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(reverse("readiness:dashboard"))
    assert response.status_code == 200
    cache.clear()
    return len(queries)


def test_query_count_does_not_grow_with_data(client_for, django_assert_max_num_queries):
    signed_in = client_for(roles.DCS)
    _demo_like(size=1)
    small = _count_queries(signed_in)
    _demo_like(size=8)
    large = _count_queries(signed_in)
    assert small == large
    signed_in.get(reverse("readiness:dashboard"))  # warm the day's cache, as the first visit does
    with django_assert_max_num_queries(15):
        signed_in.get(reverse("readiness:dashboard"))


def test_board_member_is_refused_the_dcs_page_and_control_room(client_for):
    board = client_for(roles.BOARD_MEMBER)
    assert board.get(reverse("readiness:dashboard")).status_code == 403
    assert board.get(reverse("readiness:control-room")).status_code == 403
    assert board.get(reverse("readiness:control-room-panel")).status_code == 403
    assert board.get(reverse("readiness:readiness-overview")).status_code == 403


def test_board_home_marks_small_numbers_and_shows_no_child_id(client_for):
    from django.core.files.base import ContentFile

    from casework.models import Child
    from readiness.models import Report
    from tests.factories.plans import ActionFactory, PriorityFactory

    Child.objects.create(child_id="C0001", birth_year=2015)
    inspection = Ilacs2019Factory()
    inspection_services.judgements_record(
        inspection=inspection,
        grades={"overall": "requires_improvement", "leaders": "good", "help_and_protection": "good",
                "children_in_care": "requires_improvement"},
    )  # fmt: skip
    priority = PriorityFactory(title="Help for C0001")
    today = timezone.localdate()
    for n in range(3):  # three overdue: a count of 3 must show as "c"
        ActionFactory(priority=priority, due_on=today - dt.timedelta(days=1 + n), description=f"C0001 {n}")
    for _ in range(7):
        ActionFactory(priority=priority, due_on=today + dt.timedelta(days=120))
    report = Report(kind=Report.Kind.BOARD_SUMMARY, status=Report.Status.READY, pages=2, size_bytes=8,
                    title="Board summary", finished_at=timezone.now())  # fmt: skip
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()

    response = client_for(roles.BOARD_MEMBER).get(reverse("readiness:board-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "C0001" not in html
    cells = {
        row.split("</th>")[0].split(">")[-1]: row.split('numeric">')[1].split("<")[0]
        for row in html.split('<tr class="govuk-table__row">')
        if 'numeric">' in row and "</th>" in row
    }
    assert cells["Of which overdue"] == "c"
    assert cells["Off track"] == "c"
    assert cells["All actions"] == "10"
    assert ">3<" not in html
    assert "Requires improvement" in html
    assert reverse("readiness:report-download", kwargs={"report_id": report.pk}) in html
    assert reverse("readiness:national") in html


@pytest.mark.parametrize(
    ("kinds", "banner"),
    [
        ([], None),
        ([Inspection.Kind.MOCK], "Mock inspection on site: Rehearsal"),
        ([Inspection.Kind.ACTUAL], "Inspectors are on site: The real one"),
        ([Inspection.Kind.MOCK, Inspection.Kind.ACTUAL], "Inspectors are on site: The real one"),
        ([Inspection.Kind.PEER_REVIEW], None),
    ],
)
def test_the_dcs_page_sends_the_dcs_to_the_control_room_while_an_inspection_or_a_mock_is_on_site(
    client_for, kinds, banner
):
    today = timezone.localdate()
    titles = {Inspection.Kind.MOCK: "Rehearsal", Inspection.Kind.ACTUAL: "The real one"}
    for kind in kinds:
        InspectionFactory(
            kind=kind,
            title=titles.get(kind, "Peers"),
            onsite_start_on=today - dt.timedelta(days=2),
            onsite_end_on=today + dt.timedelta(days=9),
        )
    html = client_for(roles.DCS).get(reverse("readiness:dashboard")).content.decode()
    if banner is None:
        assert "Open the control room" not in html
    else:
        assert banner in html and reverse("readiness:control-room") in html
