"""The DCS oversees the audit programme: every audit and every action for a child, read only."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import CaseAudit, CaseAuditAction
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_auditors_work():
    mine = CaseAuditFactory(auditor=make_user(roles.AUDITOR), status=CaseAudit.Status.SUBMITTED)
    theirs = CaseAuditFactory(
        auditor=make_user(roles.AUDITOR, "second_auditor"), status=CaseAudit.Status.IN_PROGRESS
    )
    for audit in (mine, theirs):
        CaseAuditAction.objects.create(
            audit=audit, text=f"Action for {audit.child.child_id}", owner="TM", due_on=dt.date(2026, 1, 5)
        )
    return mine, theirs


def test_the_dcs_sees_every_audit_and_action_but_can_change_none(client_for, two_auditors_work):
    mine, theirs = two_auditors_work
    dcs = client_for(roles.DCS)
    audits = dcs.get(reverse("casework:audit-list")).content.decode()
    assert '<h1 class="govuk-heading-l">Case audits</h1>' in audits
    assert mine.child.child_id in audits and theirs.child.child_id in audits
    actions = dcs.get(reverse("casework:audit-action-list"), {"show": "overdue"}).content.decode()
    assert f"Action for {mine.child.child_id}" in actions and f"Action for {theirs.child.child_id}" in actions
    assert "Mark as done" not in actions
    for name, key in [("casework:audit-edit", "audit_pk"), ("casework:audit-moderate", "audit_pk")]:
        assert dcs.get(reverse(name, kwargs={key: mine.pk})).status_code == 403
    action = mine.actions.get()
    assert (
        dcs.get(reverse("casework:audit-action-done", kwargs={"audit_action_pk": action.pk})).status_code
        == 403
    )


def test_an_auditor_still_sees_only_their_own(client_for, two_auditors_work):
    mine, theirs = two_auditors_work
    from django.test import Client

    auditor = Client()
    auditor.force_login(mine.auditor)
    audits = auditor.get(reverse("casework:audit-list")).content.decode()
    assert mine.child.child_id in audits and theirs.child.child_id not in audits
    actions = auditor.get(reverse("casework:audit-action-list"), {"show": "all"}).content.decode()
    assert f"Action for {theirs.child.child_id}" not in actions
    assert not mine.auditor.has_perm("casework.view_every_audit")
