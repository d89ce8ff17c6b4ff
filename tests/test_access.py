"""Deny by default: every named URL, every role, one table.

A URL that is not in ACCESS fails the suite, so a new view cannot ship without a decision about who
may see it. Board members must never reach a child-level URL.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from readiness import roles

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)
EVERY_ROLE = frozenset(roles.ROLE_NAMES)
PUBLIC = "public"
# Open without signing in (a calendar cannot sign in), but only with a live secret in the URL: the
# table's objects give an unknown one, which must be 404 for everyone, signed in or not.
TOKEN = "token"

# url name -> roles that get 200 on GET (everyone else signed in gets 403; anonymous goes to sign-in).
ACCESS: dict[str, frozenset | str] = {
    "health": PUBLIC,
    "accessibility": PUBLIC,
    "login": PUBLIC,
    "two-factor-verify": "any-signed-in",
    "two-factor-setup": "any-signed-in",
    "password-change": "any-signed-in",
    "logout": "post-only",
    "readiness:home": "any-signed-in",
    "readiness:dashboard": frozenset({PM, DCS, ADM}),
    "readiness:board-home": frozenset({PM, DCS, BM, ADM}),
    "readiness:control-room": frozenset({PM, DCS, ADM}),
    "readiness:control-room-panel": frozenset({PM, DCS, ADM}),
    "readiness:readiness-overview": frozenset({PM, DCS, ADM}),
    "readiness:deadlines": frozenset({PM, DCS, ADM}),
    "readiness:deadlines-csv": frozenset({PM, DCS, ADM}),
    "readiness:indicator-detail": frozenset({PM, DCS, ADM}),
    "readiness:self-evaluation": frozenset({PM, DCS, ADM}),
    "readiness:self-evaluation-detail": frozenset({PM, DCS, ADM}),
    "readiness:self-evaluation-answer": frozenset({PM, ADM}),
    "readiness:self-evaluation-export": "post-only",
    "readiness:notification-preferences": frozenset({PM, DCS, AUD, ADM}),
    "readiness:system-status": frozenset({DCS, ADM}),
    "readiness:report-list": frozenset({PM, DCS, BM, ADM}),
    "readiness:report-request": frozenset({PM, DCS, BM, ADM}),
    "readiness:report-detail": frozenset({PM, DCS, BM, ADM}),
    "readiness:report-status": frozenset({PM, DCS, BM, ADM}),
    "readiness:report-download": frozenset({PM, DCS, BM, ADM}),
    "readiness:report-retry": "post-only",
    "readiness:plan-list": frozenset({PM, DCS, ADM}),
    "readiness:plan-list-export": frozenset({PM, DCS, ADM}),
    "readiness:plan-create": frozenset({PM, ADM}),
    "readiness:plan-import": frozenset({PM, ADM}),
    "readiness:plan-detail": frozenset({PM, DCS, ADM}),
    "readiness:plan-update": frozenset({PM, ADM}),
    "readiness:plan-delete": frozenset({PM, ADM}),
    "readiness:priority-create": frozenset({PM, ADM}),
    "readiness:plan-actions": frozenset({PM, DCS, ADM}),
    "readiness:plan-actions-export": frozenset({PM, DCS, ADM}),
    "readiness:action-create": frozenset({PM, ADM}),
    "readiness:plan-bulk-rag": frozenset({PM, ADM}),
    "readiness:action-detail": frozenset({PM, DCS, ADM}),
    "readiness:action-update": frozenset({PM, ADM}),
    "readiness:action-delete": frozenset({PM, ADM}),
    "readiness:progress-create": frozenset({PM, DCS, ADM}),
    "readiness:evidence-create": frozenset({PM, ADM}),
    "readiness:evidence-download": frozenset({PM, DCS, ADM}),
    "readiness:my-actions": frozenset({PM, DCS, ADM}),
    "readiness:my-actions-export": frozenset({PM, DCS, ADM}),
    "readiness:national": frozenset({PM, DCS, BM, ADM}),
    "readiness:national-home-authority": frozenset({PM, ADM}),
    "readiness:national-import-runs": frozenset({PM, DCS, BM, ADM}),
    # People and roles: only the Administrator role holds auth.* (readiness/roles.py).
    "readiness:person-list": frozenset({ADM}),
    "readiness:person-create": frozenset({ADM}),
    "readiness:person-detail": frozenset({ADM}),
    "readiness:person-added": frozenset({ADM}),
    "readiness:person-details": frozenset({ADM}),
    "readiness:person-role": frozenset({ADM}),
    "readiness:person-deactivate": frozenset({ADM}),
    "readiness:person-reactivate": "post-only",
    "readiness:person-two-factor-reset": frozenset({ADM}),
    "readiness:person-unlock": "post-only",
    "casework:child-list": frozenset({PM, DCS, AUD, ADM}),
    "inspections:inspection-list": frozenset({PM, DCS, AUD, ADM}),
    "inspections:inspection-detail": frozenset({PM, DCS, AUD, ADM}),
    "inspections:inspection-create": frozenset({PM, ADM}),
    "inspections:inspection-update": frozenset({PM, ADM}),
    "inspections:inspection-delete": frozenset({PM, ADM}),
    "inspections:judgement-record": frozenset({PM, ADM}),
    "inspections:recommendation-create": frozenset({PM, ADM}),
    "inspections:recommendation-update": frozenset({PM, ADM}),
    "inspections:recommendation-move": "post-only",
    "inspections:recommendation-delete": frozenset({PM, ADM}),
    "inspections:milestone-override": frozenset({PM, ADM}),
    "inspections:milestone-done": frozenset({PM, ADM}),
    "inspections:milestone-undone": frozenset({PM, ADM}),
    "inspections:onsite-log": frozenset({PM, DCS, ADM}),
    "inspections:dailynote-create": frozenset({PM, DCS, ADM}),
    "inspections:dailynote-update": frozenset({PM, DCS, ADM}),
    "inspections:dailynote-delete": frozenset({PM, DCS, ADM}),
    "inspections:datarequest-create": frozenset({PM, ADM}),
    "inspections:datarequest-update": frozenset({PM, ADM}),
    "inspections:datarequest-delete": frozenset({PM, ADM}),
    "inspections:datarequest-close": "post-only",
    "inspections:meeting-create": frozenset({PM, ADM}),
    "inspections:meeting-update": frozenset({PM, ADM}),
    "inspections:meeting-delete": frozenset({PM, ADM}),
    "inspections:concern-create": frozenset({PM, ADM}),
    "inspections:concern-update": frozenset({PM, ADM}),
    "inspections:concern-delete": frozenset({PM, ADM}),
    "inspections:concern-close": "post-only",
    "inspections:calendar-feed": frozenset({PM, DCS, AUD, ADM}),
    "inspections:calendar-ics": TOKEN,
    "inspections:framework-list": frozenset({PM, DCS, AUD, ADM}),
    "inspections:framework-detail": frozenset({PM, DCS, AUD, ADM}),
    "inspections:framework-upload": frozenset({PM, ADM}),
    "inspections:framework-upload-confirm": frozenset({PM, ADM}),
    "inspections:framework-upload-discard": "post-only",
    "inspections:nonworkingday-list": frozenset({PM, DCS, ADM}),
    "inspections:nonworkingday-create": frozenset({PM, ADM}),
    "inspections:nonworkingday-delete": frozenset({PM, ADM}),
    "casework:child-detail": frozenset({PM, DCS, AUD, ADM}),
    "casework:indicator-children": frozenset({PM, DCS, AUD, ADM}),
    "casework:indicator-children-csv": frozenset({PM, DCS, AUD, ADM}),
    "casework:import": frozenset({PM, ADM}),
    "casework:import-list": frozenset({PM, ADM}),
    "casework:import-detail": frozenset({PM, ADM}),
    "casework:import-problems": frozenset({PM, ADM}),
    "casework:import-progress": frozenset({PM, ADM}),
    "casework:import-retry": frozenset({PM, ADM}),
    "casework:annex-a": frozenset({PM, ADM}),
    "casework:annex-a-check": frozenset({PM, ADM}),
    "casework:annex-a-problems": frozenset({PM, ADM}),
    "casework:sample-list": frozenset({PM, DCS, AUD, ADM}),
    "casework:sample-create": frozenset({PM, ADM}),
    "casework:sample-upload": frozenset({PM, ADM}),
    "casework:sample-draw": frozenset({PM, ADM}),
    "casework:sample-detail": frozenset({PM, DCS, AUD, ADM}),
    "casework:sample-members": frozenset({PM, ADM}),
    "casework:sample-assign": frozenset({PM, ADM}),
    "casework:audit-list": frozenset({PM, DCS, AUD, ADM}),
    "casework:audit-edit": frozenset({PM, ADM}),
    "casework:audit-moderate": frozenset({PM, ADM}),
    "casework:audit-share": frozenset({PM, ADM}),
    "casework:audit-escalate": frozenset({PM, ADM}),
    "casework:escalation-respond": frozenset({PM, ADM}),
    "casework:audit-action-list": frozenset({PM, DCS, AUD, ADM}),
    "casework:audit-action-done": frozenset({PM, ADM}),
    "casework:audit-action-reopen": frozenset({PM, ADM}),
}
# Roles that pass the permission check but get 404: the audit belongs to another auditor (IDOR).
NOT_THEIRS: dict[str, frozenset] = {
    "casework:audit-edit": frozenset({AUD}),
    "casework:audit-escalate": frozenset({AUD}),
    "casework:audit-action-done": frozenset({AUD}),
    "casework:audit-action-reopen": frozenset({AUD}),
}
CHILD_LEVEL_NAMESPACES = ("casework",)


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns == "admin":
                continue  # Django's admin has its own staff check; tested separately below
            yield from _named_patterns(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture
def objects():
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from casework.models import Child, ImportRun
    from inspections.models import Concern, DailyNote, DataRequest, Meeting, NonWorkingDay
    from readiness.models import Report
    from tests.factories.inspections import Ilacs2019Factory, MilestoneFactory, RecommendationFactory

    child = Child.objects.create(child_id="C0001", birth_year=2015)
    run = ImportRun.objects.create(file_name="cases.csv", status=ImportRun.Status.FAILED, problem_count=0)
    # A ready board summary: the one kind of report every report-reading role may open.
    report = Report(kind=Report.Kind.BOARD_SUMMARY, status=Report.Status.READY, pages=1, size_bytes=8)
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    # An inspection with one recommendation and one milestone, for the inspections pages.
    inspection = Ilacs2019Factory()
    recommendation = RecommendationFactory(inspection=inspection)
    # Done, so that the "mark as not done" confirmation page has something to confirm.
    milestone = MilestoneFactory(inspection=inspection, done_on=dt.date(2019, 4, 9))
    # An improvement plan with one action and one uploaded piece of evidence.
    from tests.factories.plans import EvidenceFactory

    evidence = EvidenceFactory()
    # One of each on-site log entry, all with the same id: the entry URLs share `entry_pk`.
    entry_pk = 4242
    DailyNote.objects.create(pk=entry_pk, inspection=inspection, text="Day one")
    DataRequest.objects.create(pk=entry_pk, inspection=inspection, what="Audits")
    Meeting.objects.create(pk=entry_pk, inspection=inspection, title="Lead member", starts_at=timezone.now())
    Concern.objects.create(pk=entry_pk, inspection=inspection, summary="Delay", child_reference="C0001")
    # A self-evaluation (an inspection of that kind) for the self-evaluation pages.
    from inspections.models import Inspection
    from tests.factories.inspections import InspectionFactory, framework

    self_evaluation = InspectionFactory(
        kind=Inspection.Kind.SELF_EVALUATION, framework=framework("ilacs-2026")
    )
    # An audit (and its escalation) assigned to someone who is none of the signed-in test users.
    from django.contrib.auth.models import User

    from casework.models import CaseAuditEscalation
    from tests.factories.casework import CaseAuditFactory

    audit = CaseAuditFactory(auditor=User.objects.create_user("another-auditor"))
    escalation = CaseAuditEscalation.objects.create(
        audit=audit,
        raised_by=audit.auditor,
        raised_at=audit.created_at,
        reason="r",
        manager_name="M",
        manager_email="m@example.gov.uk",
    )
    # An open action for the child on that audit (its reopen page says it is open).
    from casework.models import CaseAuditAction

    audit_action = CaseAuditAction.objects.create(
        audit=audit, text="Visit", owner="Team manager", due_on=dt.date(2026, 5, 1)
    )
    # An indicator for its page, backed by a casework selector that lists the children it counted.
    from readiness.dashboards.models import Indicator

    Indicator.objects.create(
        code="icpc_15wd", name="ICPCs in time", source="casework.indicators.icpc_within_15_days"
    )
    return {
        "indicator_code": "icpc_15wd",
        "selector_code": "icpc_15_wd",
        "pk": child.pk,
        "report_id": report.pk,
        "run_id": run.pk,
        "inspection_pk": inspection.pk,
        "recommendation_pk": recommendation.pk,
        "milestone_pk": milestone.pk,
        "plan_pk": evidence.action.priority.plan.pk,
        "action_pk": evidence.action.pk,
        "evidence_pk": evidence.pk,
        "entry_pk": entry_pk,
        "token": "no-such-token",
        "direction": "up",
        "sample_pk": audit.member.sample_id,
        "audit_pk": audit.pk,
        "escalation_pk": escalation.pk,
        "person_pk": audit.auditor.pk,  # "another-auditor", for the people pages
        "audit_action_pk": audit_action.pk,
        "self_evaluation_pk": self_evaluation.pk,
        "area_code": "leaders",
        "code": "ilacs-2023",
        "day_pk": NonWorkingDay.objects.create(date=dt.date(2019, 6, 3), name="Council closure").pk,
    }


def _url(name, pattern, objects):
    kwargs = {key: objects[key] for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def test_every_named_url_has_a_declared_expectation():
    names = {name for name, _ in _named_patterns()}
    missing = names - set(ACCESS)
    assert not missing, f"Declare who may see these URLs in tests/test_access.py: {sorted(missing)}"
    stale = set(ACCESS) - names
    assert not stale, f"These URLs no longer exist: {sorted(stale)}"


def test_child_level_urls_are_never_open_to_board_members():
    for name, allowed in ACCESS.items():
        if name.split(":")[0] in CHILD_LEVEL_NAMESPACES:
            assert isinstance(allowed, frozenset) and BM not in allowed, name


def test_anonymous_is_sent_to_sign_in_except_public_pages(client, objects):
    for name, pattern in _named_patterns():
        url = _url(name, pattern, objects)
        response = client.get(url)
        if ACCESS[name] == PUBLIC:
            assert response.status_code == 200, name
        elif ACCESS[name] == TOKEN:
            assert response.status_code == 404, name
        elif ACCESS[name] == "post-only":
            assert response.status_code in (302, 405), name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize("role", [*roles.ROLE_NAMES, None])
def test_each_role_gets_exactly_what_the_table_says(client_for, objects, role):
    signed_in = client_for(role)
    for name, pattern in _named_patterns():
        expected = ACCESS[name]
        if expected in (PUBLIC, "post-only"):
            continue
        url = _url(name, pattern, objects)
        response = signed_in.get(url, follow=False)
        if expected == "any-signed-in":
            assert response.status_code in (200, 302), (name, role)
            continue
        if expected == TOKEN:
            assert response.status_code == 404, (name, role)
            continue
        want = 200 if role in expected else 404 if role in NOT_THEIRS.get(name, ()) else 403
        assert response.status_code == want, (name, role, response.status_code)


def test_board_member_changing_an_id_in_the_url_still_gets_403(client_for, objects):
    board = client_for(BM)
    for pk in (objects["pk"], objects["pk"] + 1, 999999):
        assert board.get(reverse("casework:child-detail", kwargs={"pk": pk})).status_code == 403


def test_board_member_never_sees_a_child_id_on_pages_they_can_open(client_for, objects):
    board = client_for(BM)
    for name, pattern in _named_patterns():
        if ACCESS[name] in (PUBLIC, "post-only"):
            continue
        response = board.get(_url(name, pattern, objects), follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"C0001" not in body, name


def test_admin_site_needs_a_staff_account(client_for):
    assert client_for(BM).get("/admin/").status_code == 302
    assert client_for(None).get("/admin/").status_code == 302


def test_refusals_are_written_to_the_security_log(client_for, caplog, objects):
    board = client_for(BM)
    with caplog.at_level("WARNING", logger="readiness.security"):
        board.get(reverse("casework:child-list"))
    records = [r for r in caplog.records if r.name == "readiness.security"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "url_name=casework:child-list" in message and "method=GET" in message
    assert "C0001" not in message
