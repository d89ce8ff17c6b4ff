"""Case audits: workflow transitions, one auditor cannot reach another's audit, escalation e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from casework import audit_services as services
from casework.audit_questions import question_set
from casework.models import AuditAnswer, CaseAudit, CaseAuditAction, CaseAuditEscalation, Sample
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, SampleMemberFactory
from tests.factories.inspections import Ilacs2019Factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    return make_user(roles.AUDITOR)


@pytest.fixture
def pm():
    return make_user(roles.PERFORMANCE_MANAGER)


def _all_good(audit):
    return {
        d.code: ("good", f"Evidence for {d.code}")
        for d in question_set(audit.question_set_version, audit.cohort)
    }


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(audit, grades=None, **extra):
    data = {
        "overall_grade": "",
        "strengths": "",
        "areas_for_development": "",
        "action_text": "",
        "action_owner": "",
        "action_due_on_0": "",
        "action_due_on_1": "",
        "action_due_on_2": "",
    }
    for domain in question_set(audit.question_set_version, audit.cohort):
        data[f"grade_{domain.code}"] = (grades or {}).get(domain.code, "")
        data[f"comment_{domain.code}"] = ""
    data.update(extra)
    return data


def test_audit_goes_through_every_stage_and_refuses_invalid_transitions(auditor, pm):
    audit = CaseAuditFactory(auditor=auditor)
    with pytest.raises(
        ValidationError, match="Only an audit in progress can be submitted; this one is assigned"
    ):
        services.audit_submit(audit=audit, user=auditor)
    with pytest.raises(ValidationError, match="Only a submitted audit can be moderated"):
        services.audit_moderate(audit=audit, moderator=pm, grade="good", agreement=True)
    audit = services.audit_start(audit=audit, user=auditor)
    assert audit.status == CaseAudit.Status.IN_PROGRESS and audit.started_at
    with pytest.raises(ValidationError, match="already started"):
        services.audit_start(audit=audit, user=auditor)
    services.audit_save_answers(audit=audit, user=auditor, answers={"timeliness": ("good", "")})
    with pytest.raises(ValidationError) as caught:
        services.audit_submit(audit=audit, user=auditor)
    errors = caught.value.message_dict
    assert "grade_timeliness" not in errors
    assert errors["grade_permanence"] == ["Select a grade for permanence"]
    assert errors["overall_grade"] == ["Select an overall grade for the case"]
    services.audit_save_answers(audit=audit, user=auditor, answers=_all_good(audit), overall_grade="good")
    audit = services.audit_submit(audit=audit, user=auditor)
    assert audit.status == CaseAudit.Status.SUBMITTED
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.audit_save_answers(audit=audit, user=auditor, answers={})
    with pytest.raises(ValidationError, match="Only a moderated audit can be shared"):
        services.audit_share(audit=audit, user=pm)
    with pytest.raises(ValidationError, match="You cannot moderate an audit you carried out"):
        services.audit_moderate(audit=audit, moderator=auditor, grade="good", agreement=True)
    audit = services.audit_moderate(audit=audit, moderator=pm, grade="requires_improvement", agreement=False)
    assert audit.status == CaseAudit.Status.MODERATED and audit.moderator == pm and audit.agreement is False
    audit = services.audit_share(audit=audit, user=pm)
    assert audit.status == CaseAudit.Status.SHARED and audit.shared_at is not None
    assert audit.history.count() >= 5


def test_assigning_an_inspection_sample_makes_audits_due_on_the_first_onsite_day(auditor):
    inspection = Ilacs2019Factory()
    member = SampleMemberFactory(sample__kind=Sample.Kind.INSPECTION_AUDIT, sample__inspection=inspection)
    audits = services.sample_audits_assign(sample=member.sample, auditor=auditor)
    assert [a.due_on for a in audits] == [inspection.onsite_start_on]
    assert services.sample_audits_assign(sample=member.sample, auditor=auditor) == []


def _snapshot(audit):
    audit.refresh_from_db()
    return (
        audit.status,
        audit.overall_grade,
        audit.strengths,
        AuditAnswer.objects.filter(audit=audit).count(),
        CaseAuditAction.objects.filter(audit=audit).count(),
        CaseAuditEscalation.objects.filter(audit=audit).count(),
        audit.history.count(),
    )


def test_an_auditor_cannot_open_or_change_another_auditors_audit(auditor):
    theirs = CaseAuditFactory(auditor=make_user(roles.AUDITOR, username="other-auditor"))
    mine = CaseAuditFactory(auditor=auditor)
    client = _signed_in(auditor)
    before = _snapshot(theirs)
    edit = reverse("casework:audit-edit", kwargs={"audit_pk": theirs.pk})
    escalate = reverse("casework:audit-escalate", kwargs={"audit_pk": theirs.pk})
    assert client.get(edit).status_code == 404
    grades = {d.code: "inadequate" for d in question_set(theirs.question_set_version, theirs.cohort)}
    assert client.post(edit, _form(theirs, grades, overall_grade="inadequate", submit="1")).status_code == 404
    assert (
        client.post(
            escalate, {"reason": "x", "manager_name": "M", "manager_email": "m@example.gov.uk"}
        ).status_code
        == 404
    )
    assert client.get(reverse("casework:audit-moderate", kwargs={"audit_pk": theirs.pk})).status_code == 403
    assert client.post(reverse("casework:audit-share", kwargs={"audit_pk": theirs.pk})).status_code == 403
    assert _snapshot(theirs) == before
    assert not mail.outbox
    listing = client.get(reverse("casework:audit-list")).content.decode()
    assert mine.child.child_id in listing and theirs.child.child_id not in listing
    assert client.get(reverse("casework:audit-edit", kwargs={"audit_pk": mine.pk})).status_code == 200


def test_auditor_saves_a_draft_then_submits_through_the_page(auditor):
    audit = CaseAuditFactory(auditor=auditor)
    client = _signed_in(auditor)
    url = reverse("casework:audit-edit", kwargs={"audit_pk": audit.pk})
    response = client.post(url, _form(audit, {"timeliness": "good"}, save="1"))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS and audit.member.sample.history.count() == 2
    response = client.post(url, _form(audit, {"timeliness": "good"}, submit="1"))
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert (
        "Select a grade for quality of assessment" in body and "Select an overall grade for the case" in body
    )
    grades = {d.code: "good" for d in question_set(audit.question_set_version, audit.cohort)}
    data = _form(
        audit,
        grades,
        overall_grade="good",
        submit="1",
        action_text="Update the chronology",
        action_owner="Team manager",
        action_due_on_0="1",
        action_due_on_1="6",
        action_due_on_2="2026",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.SUBMITTED
    assert audit.actions.get().due_on == dt.date(2026, 6, 1)


def test_moderator_moderates_and_shares_through_the_pages(auditor, pm):
    audit = CaseAuditFactory(auditor=auditor)
    services.audit_save_answers(audit=audit, user=auditor, answers=_all_good(audit), overall_grade="good")
    services.audit_submit(audit=audit, user=auditor)
    client = _signed_in(pm)
    url = reverse("casework:audit-moderate", kwargs={"audit_pk": audit.pk})
    response = client.post(url, {"moderator_comment": ""})
    assert "Select the moderated grade" in response.content.decode()
    response = client.post(url, {"moderator_grade": "good", "agreement": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("casework:audit-share", kwargs={"audit_pk": audit.pk}))
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.SHARED and audit.agreement is True


def test_escalation_is_recorded_and_emails_the_team_manager(auditor, pm, django_capture_on_commit_callbacks):
    audit = CaseAuditFactory(auditor=auditor)
    client = _signed_in(auditor)
    url = reverse("casework:audit-escalate", kwargs={"audit_pk": audit.pk})
    response = client.post(url, {"reason": "", "manager_name": "", "manager_email": "not-an-email"})
    body = response.content.decode()
    assert (
        "Enter why the child may be at risk now" in body
        and "Enter the team manager&#x27;s email address" in body
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "reason": "Bruising seen, no follow-up",
                "manager_name": "Tess Manager",
                "manager_email": "tess@example.gov.uk",
            },
        )
    assert response.status_code == 302
    escalation = CaseAuditEscalation.objects.get()
    assert escalation.raised_by == auditor and escalation.responded_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tess@example.gov.uk"]
    assert audit.child.child_id in message.subject and "Bruising seen" in message.body
    moderator = _signed_in(pm)
    response = moderator.post(
        reverse("casework:escalation-respond", kwargs={"escalation_pk": escalation.pk}),
        {"response": "Visited today; child safe."},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.response == "Visited today; child safe." and escalation.responded_at


def test_sample_progress_page_counts_done_grades_and_overdue(auditor, pm):
    member = SampleMemberFactory(sample__due_on=dt.date(2020, 1, 1))
    done = CaseAuditFactory(auditor=auditor, member=member, due_on=dt.date(2020, 1, 1))
    services.audit_save_answers(audit=done, user=auditor, answers=_all_good(done), overall_grade="good")
    services.audit_submit(audit=done, user=auditor)
    late = CaseAuditFactory(auditor=auditor, member__sample=member.sample, due_on=dt.date(2020, 1, 1))
    response = _signed_in(auditor).get(member.sample.get_absolute_url())
    body = response.content.decode()
    assert "1 of 2 done" in body
    assert f"{late.child.child_id} – Assigned, due 1 January 2020" in body
