"""The improvement plan report picks its plan: the current one by default, a clear error if none."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from readiness import roles
from readiness.models import Report
from readiness.plans.models import ImprovementPlan
from readiness.reports import builders
from readiness.reports.forms import NO_PLAN_TO_REPORT, SELECT_PLAN
from readiness.reports.services import PLAN_NOT_FOUND, report_request
from tests.conftest import make_user
from tests.factories.plans import ActionFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db

PLAN = Report.Kind.IMPROVEMENT_PLAN
REQUEST = "readiness:report-request"


def _signed_in(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


@pytest.fixture
def plans():
    published = ImprovementPlan.Status.PUBLISHED
    old = PlanFactory(title="Plan after the 2014 SIF", status=published, published_on=dt.date(2014, 9, 1))
    current = PlanFactory(
        title="Plan after the 2019 ILACS", status=published, published_on=dt.date(2019, 9, 1)
    )
    draft = PlanFactory(title="Next year's draft", status=ImprovementPlan.Status.DRAFT)
    for plan in (old, current):
        ActionFactory(priority=PriorityFactory(plan=plan, title=f"Priority of {plan.title}"))
    return old, current, draft


def _selected_option(page: str) -> str:
    select = page[page.index('<select name="plan"') : page.index("</select>")]
    return re.findall(r'<option value="(\d+)" selected>', select)[0]


def test_the_form_offers_every_plan_with_the_current_one_chosen(client, plans):
    old, current, draft = plans
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    page = client.get(reverse(REQUEST)).content.decode()
    assert "Which improvement plan?" in page
    for plan in plans:
        assert f'<option value="{plan.pk}"' in page
    assert "Next year&#x27;s draft (draft)" in page and "Plan after the 2019 ILACS (published)" in page
    assert _selected_option(page) == str(current.pk)


def test_the_chosen_plan_is_the_one_reported_on(client, plans, django_capture_on_commit_callbacks):
    old, current, draft = plans
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(REQUEST), {"kind": PLAN, "plan": str(old.pk)})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.parameters == {"plan": old.pk}
    assert report.status == Report.Status.READY, report.error
    content = builders.build_improvement_plan(report.parameters)
    assert content.context["plan"] == old
    page = client.get(report.get_absolute_url()).content.decode()
    assert "For the plan ‘Plan after the 2014 SIF’." in page


def test_without_a_choice_the_form_errors_rather_than_guessing(client, plans):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    response = client.post(reverse(REQUEST), {"kind": PLAN, "plan": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "govuk-error-summary" in page and SELECT_PLAN in page and 'href="#id_plan"' in page
    assert not Report.objects.exists()


def test_a_plan_that_does_not_exist_is_refused_with_the_field_named(client, plans):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    page = client.post(reverse(REQUEST), {"kind": PLAN, "plan": "987654"}).content.decode()
    assert SELECT_PLAN in page and 'href="#id_plan"' in page
    assert not Report.objects.exists()


def test_with_no_plan_at_all_the_form_says_so_and_queues_nothing(client):
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    page = client.get(reverse(REQUEST)).content.decode()
    assert 'name="plan"' not in page  # nothing to choose from
    page = client.post(reverse(REQUEST), {"kind": PLAN}).content.decode()
    assert "govuk-error-summary" in page and NO_PLAN_TO_REPORT in page
    assert not Report.objects.exists()


def test_other_kinds_ignore_the_plan(client, plans, django_capture_on_commit_callbacks):
    old, current, draft = plans
    _signed_in(client, roles.PERFORMANCE_MANAGER)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse(REQUEST), {"kind": Report.Kind.BOARD_SUMMARY, "plan": str(old.pk)})
    assert Report.objects.get().parameters == {}


def test_board_members_are_not_offered_plans(client, plans):
    _signed_in(client, roles.BOARD_MEMBER)
    page = client.get(reverse(REQUEST)).content.decode()
    assert 'name="plan"' not in page and plans[0].title not in page
    response = client.post(reverse(REQUEST), {"kind": PLAN, "plan": str(plans[0].pk)})
    assert response.status_code == 200 and not Report.objects.exists()


def test_auditors_cannot_ask_for_reports(client, plans):
    _signed_in(client, roles.AUDITOR)
    assert client.get(reverse(REQUEST)).status_code == 403
    assert client.post(reverse(REQUEST), {"kind": PLAN, "plan": str(plans[0].pk)}).status_code == 403
    assert not Report.objects.exists()


def test_the_service_refuses_a_plan_id_that_does_not_exist():
    with pytest.raises(ValidationError) as caught:
        report_request(kind=PLAN, parameters={"plan": 424242}, user=make_user(roles.PERFORMANCE_MANAGER))
    assert caught.value.message_dict == {"plan": [PLAN_NOT_FOUND]}
    assert not Report.objects.exists()
