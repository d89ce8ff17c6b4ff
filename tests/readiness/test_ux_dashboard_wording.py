"""The DCS daily page says what it shows: the grades block says when they are an inspection's grades
(no graded self-evaluation yet); "Next deadlines" lists inspection milestones only, so with none it no
longer says "No open deadlines" while the deadlines page lists overdue actions; the actions for
children link goes to the open ones when none is overdue."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseAudit, CaseAuditAction
from inspections.models import Inspection
from inspections.services import judgements_record
from readiness import roles
from tests.factories.casework import CaseAuditFactory
from tests.factories.inspections import Ilacs2019Factory
from tests.factories.plans import ActionFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("readiness:dashboard")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_inspection_grades_shown_for_want_of_a_self_evaluation_are_said_to_be_so(client_for):
    inspection = Ilacs2019Factory()
    judgements_record(inspection=inspection, grades={"overall": "good", "leaders": "requires_improvement"})
    assert not Inspection.objects.filter(kind=Inspection.Kind.SELF_EVALUATION).exists()
    html = client_for(roles.DCS).get(DASHBOARD).content.decode()
    assert f"No graded self-evaluation is recorded yet, so these are the grades from {inspection}." in html
    assert ": no graded self-evaluation is recorded yet)" not in html


def test_no_milestone_is_not_worded_as_no_deadline_at_all(client_for):
    ActionFactory(due_on=timezone.localdate() - dt.timedelta(days=20), description="Late action")
    html = client_for(roles.DCS).get(DASHBOARD).content.decode()
    deadlines = html[html.index('id="deadlines"') :]
    assert "No open deadlines" not in deadlines
    assert "No inspection milestone is open." in deadlines
    assert "Inspection milestones, soonest first." in deadlines


def test_with_no_overdue_action_for_a_child_the_link_goes_to_the_open_ones(client_for):
    auditor = User.objects.create(username="audit-person")
    audit = CaseAuditFactory(auditor=auditor, status=CaseAudit.Status.IN_PROGRESS)
    CaseAuditAction.objects.create(
        audit=audit,
        text="Visit the child at home",
        owner="Team manager",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    html = client_for(roles.DCS).get(DASHBOARD).content.decode()
    assert "Actions for children from audits: 1 open, 0 overdue." in html
    assert "See the overdue actions for children" not in html
    assert (
        f'href="{reverse("casework:audit-action-list")}?show=open">See the open actions for children' in html
    )


def test_the_digest_calls_its_list_inspection_milestones_and_names_the_page_to_stop_it():
    from django.core import mail

    from readiness.dashboards.services import daily_digest_send
    from tests.conftest import make_user

    dcs = make_user(roles.DCS)
    dcs.email = "dcs@northmoor.example"
    dcs.save()
    ActionFactory(due_on=dt.date(2026, 3, 5), description="Soon action")
    daily_digest_send(day=dt.date(2026, 3, 3))
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "deadlines in the next" not in body.lower()
        assert "daily digest page" not in body
        assert "'Your e-mails' page" in body
    assert "INSPECTION MILESTONES IN THE NEXT 10 WORKING DAYS" in message.body
    assert "<h2>Inspection milestones in the next 10 working days</h2>" in html
