"""axe-core on the pages that show "who changed what", with rows in their tables."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import Inspection
from readiness import roles
from tests.browser.test_accessibility import _sign_in, assert_accessible, browser_context_args  # noqa: F401
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _changed_by(obj, user, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


def test_pages_with_change_history_are_accessible(page, live_server):
    from tests.factories.casework import CaseAuditFactory, PlacementFactory
    from tests.factories.inspections import InspectionFactory, framework
    from tests.factories.plans import ActionFactory

    pm = make_user(roles.PERFORMANCE_MANAGER)
    inspection = InspectionFactory(lead_inspector="0")
    for n in range(1, 55):  # more than the table shows
        _changed_by(inspection, pm, lead_inspector=str(n))
    action = ActionFactory(owner=pm)
    _changed_by(action, pm, lead_officer="Head of service")
    audit = CaseAuditFactory(auditor=make_user(roles.AUDITOR))
    _changed_by(audit.child, pm, uasc=True)
    PlacementFactory(child=audit.child)
    self_evaluation = InspectionFactory(
        kind=Inspection.Kind.SELF_EVALUATION, framework=framework("ilacs-2026")
    )
    _changed_by(self_evaluation, pm, title="Self-evaluation 2026")
    _sign_in(page, live_server, pm.username)
    checks = [
        ("inspection", reverse("inspections:inspection-detail", kwargs={"inspection_pk": inspection.pk})),
        ("action", action.get_absolute_url()),
        ("child", audit.child.get_absolute_url()),
        ("audit moderation", reverse("casework:audit-moderate", kwargs={"audit_pk": audit.pk})),
        (
            "self-evaluation",
            reverse("readiness:self-evaluation-detail", kwargs={"self_evaluation_pk": self_evaluation.pk}),
        ),
    ]
    for what, url in checks:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator(".app-change-history h2")).to_be_visible()
        assert_accessible(page, what)
