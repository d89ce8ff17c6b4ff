"""An auditor completes and submits a case audit; a performance manager moderates it."""

import pytest
from playwright.sync_api import expect

from casework.audit_questions import question_set
from casework.models import CaseAudit
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_submits_and_performance_manager_moderates(sign_in, page, live_server):
    auditor = make_user(roles.AUDITOR)
    make_user(roles.PERFORMANCE_MANAGER)
    audit = CaseAuditFactory(auditor=auditor)
    child_id = audit.child.child_id

    sign_in("auditor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    page.get_by_role("link", name=child_id).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit of {child_id}")

    # Submitting with nothing graded shows every missing grade in the error summary.
    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select a grade for permanence")
    expect(summary).to_contain_text("Select an overall grade for the case")

    for domain in question_set(audit.question_set_version, audit.cohort):
        page.get_by_role("group", name=f"Grade for {domain.name.lower()}").get_by_label(
            "Good", exact=True
        ).check()
    page.get_by_role("group", name="Overall grade for the case").get_by_label(
        "Requires improvement", exact=True
    ).check()
    page.get_by_label("Strengths").fill("Visits are regular and the child is seen alone.")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Audit submitted for moderation")
    page.get_by_role("button", name="Sign out").click()

    sign_in("pm")
    page.goto(f"{live_server.url}/casework/audits/{audit.pk}/moderate/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Moderate the audit of {child_id}")
    page.get_by_role("group", name="Moderated grade").get_by_label("Requires improvement", exact=True).check()
    page.get_by_role("group", name="Do you agree with the auditor's overall grade?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save moderation").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Moderation saved")
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.MODERATED and audit.agreement is True
