"""Plan pages: overview, action edit (due date needs a reason), progress update, bulk RAG, access."""

import datetime as dt

import pytest
from django.urls import reverse

from readiness import roles
from readiness.plans import services
from readiness.plans.models import Action, ProgressUpdate, Rag
from readiness.plans.views import BULK_ROW_ERROR
from tests.factories.plans import ActionFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db

PM, DCS, BM = roles.PERFORMANCE_MANAGER, roles.DCS, roles.BOARD_MEMBER


def _date_fields(name: str, value: dt.date) -> dict:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def plan_from_inspection():
    from inspections.services import milestones_compute
    from tests.factories.inspections import Ilacs2019Factory, RecommendationFactory

    inspection = Ilacs2019Factory()
    for order in (1, 2):
        RecommendationFactory(inspection=inspection, order=order)
    milestones_compute(inspection=inspection)
    return services.plan_create_from_inspection(inspection=inspection)


def test_plan_from_inspection_has_one_priority_per_recommendation(plan_from_inspection):
    priorities = list(plan_from_inspection.priorities.order_by("order"))
    assert [p.order for p in priorities] == [1, 2]
    assert all(p.recommendation_id for p in priorities)


def test_overview_shows_the_publication_deadline_with_its_explanation(client_for, plan_from_inspection):
    response = client_for(PM).get(plan_from_inspection.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    # 70 working days from the final report received on 27 March 2019 (domain.md §8.1).
    assert "9 July 2019" in body
    assert "working days" in body
    assert "<svg" in body and 'id="rag-table"' in body


def test_overview_lists_overdue_actions_first(client_for):
    priority = PriorityFactory()
    late = ActionFactory(priority=priority, description="Late action", due_on=dt.date(2020, 1, 6))
    ActionFactory(priority=priority, description="Future action")
    body = client_for(PM).get(priority.plan.get_absolute_url()).content.decode()
    overdue_section = body[body.index('id="overdue"') : body.index("Progress by priority")]
    assert late.description in overdue_section
    assert "Future action" not in overdue_section


@pytest.mark.parametrize(
    "name", ["readiness:plan-detail", "readiness:plan-actions", "readiness:plan-bulk-rag"]
)
def test_board_member_is_refused_plan_pages(client_for, name):
    plan = PlanFactory()
    assert client_for(BM).get(reverse(name, kwargs={"plan_pk": plan.pk})).status_code == 403


def _action_post(action: Action, **changes) -> dict:
    data = {
        "priority": action.priority_id,
        "description": action.description,
        "owner": "",
        "status": action.status,
        **_date_fields("due_on", action.due_on),
    }
    data.update(changes)
    return data


def test_moving_the_due_date_without_a_reason_is_refused_with_the_form_kept(client_for):
    action = ActionFactory()
    new_due = action.due_on + dt.timedelta(days=14)
    url = reverse("readiness:action-update", kwargs={"action_pk": action.pk})
    response = client_for(PM).post(url, _action_post(action, **_date_fields("due_on", new_due)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the reason for changing the due date" in body
    assert response.content.decode().count("govuk-error-summary") >= 1
    assert "<title>Error: " in body
    action.refresh_from_db()
    assert action.due_on != new_due


def test_moving_the_due_date_with_a_reason_is_kept_in_history(client_for):
    action = ActionFactory()
    new_due = action.due_on + dt.timedelta(days=14)
    url = reverse("readiness:action-update", kwargs={"action_pk": action.pk})
    data = _action_post(
        action, due_on_reason="Waiting for the new case management system", **_date_fields("due_on", new_due)
    )
    response = client_for(PM).post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_on == new_due
    latest = action.history.latest()
    assert "Waiting for the new case management system" in latest.history_change_reason
    assert latest.history_user.username == "pm"
    detail = client_for(DCS).get(action.get_absolute_url()).content.decode()
    assert "Waiting for the new case management system" in detail


def test_dcs_adds_a_progress_update_with_rag(client_for):
    action = ActionFactory()
    url = reverse("readiness:progress-create", kwargs={"action_pk": action.pk})
    data = {"text": "Audit of 20 cases done", "rag": Rag.AT_RISK, **_date_fields("date", dt.date.today())}
    response = client_for(DCS).post(url, data)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert update.rag == Rag.AT_RISK and update.author.username == "dcs"
    assert update.history.count() == 1


def test_bulk_rag_update_refuses_missing_reasons_with_row_errors_and_saves_nothing(client_for):
    priority = PriorityFactory()
    first, second = ActionFactory(priority=priority), ActionFactory(priority=priority)
    url = reverse("readiness:plan-bulk-rag", kwargs={"plan_pk": priority.plan.pk})
    data = {
        f"rag-{first.pk}": Rag.OFF_TRACK,
        f"reason-{first.pk}": "Partner withdrew funding",
        f"rag-{second.pk}": Rag.COMPLETE,
        f"reason-{second.pk}": "",
    }
    response = client_for(PM).post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert BULK_ROW_ERROR.format(order=2, message=services.OVERRIDE_NEEDS_REASON) in body
    assert f'href="#rag-{second.pk}"' in body
    assert "Partner withdrew funding" in body  # the user's input is kept
    first.refresh_from_db()
    assert first.rag_override == ""

    assert client_for(None).post(url, data).status_code == 403


def test_bulk_rag_update_saves_each_row_with_history(client_for):
    priority = PriorityFactory()
    first, second = ActionFactory(priority=priority), ActionFactory(priority=priority)
    url = reverse("readiness:plan-bulk-rag", kwargs={"plan_pk": priority.plan.pk})
    data = {
        f"rag-{first.pk}": Rag.OFF_TRACK,
        f"reason-{first.pk}": "Partner withdrew funding",
        f"rag-{second.pk}": "",
        f"reason-{second.pk}": "",
    }
    assert client_for(PM).post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.rag_override == Rag.OFF_TRACK
    assert first.history.latest().history_change_reason == "Partner withdrew funding"
    assert second.history.count() == 1  # unchanged rows are not saved


def test_my_actions_lists_only_the_users_open_actions(client_for, role_user):
    client = client_for(PM)
    from django.contrib.auth.models import User

    me = User.objects.get(username="pm")
    mine = ActionFactory(owner=me, description="Mine to do")
    ActionFactory(owner=me, description="Mine and done", status=Action.Status.COMPLETE)
    ActionFactory(description="Someone else's")
    body = client.get(reverse("readiness:my-actions")).content.decode()
    assert mine.description in body
    assert "Mine and done" not in body and "Someone else" not in body


def test_overview_query_count_does_not_grow_with_actions(client_for, django_assert_max_num_queries):
    client = client_for(PM)
    priority = PriorityFactory()
    ActionFactory.create_batch(2, priority=priority)
    url = priority.plan.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for other in PriorityFactory.create_batch(3, plan=priority.plan):
        ActionFactory.create_batch(8, priority=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_evidence_download_is_an_attachment_with_the_original_name(client_for):
    from tests.factories.plans import EvidenceFactory

    evidence = EvidenceFactory()
    response = client_for(DCS).get(
        reverse("readiness:evidence-download", kwargs={"evidence_pk": evidence.pk})
    )
    assert response.status_code == 200
    assert 'attachment; filename="minutes.pdf"' in response["Content-Disposition"]
    assert evidence.file.name.startswith("evidence/") and "minutes" not in evidence.file.name
    assert (
        client_for(BM)
        .get(reverse("readiness:evidence-download", kwargs={"evidence_pk": evidence.pk}))
        .status_code
        == 403
    )


def test_every_plan_exports_as_csv_and_xlsx_with_formula_safe_cells(client_for):
    import io

    from openpyxl import load_workbook

    from readiness import roles
    from tests.factories.plans import ActionFactory, PlanFactory

    PlanFactory(title='=HYPERLINK("http://evil")')
    ActionFactory()
    client = client_for(roles.PERFORMANCE_MANAGER)
    csv_response = client.get("/plans/export/?format=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith('attachment; filename="improvement-plans-')
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Plan,Source,Inspection,Owner,Status")
    assert "'=HYPERLINK" in text
    xlsx = client.get("/plans/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 2 and any(str(t).startswith("'=") for t in titles)
    assert client_for(roles.BOARD_MEMBER).get("/plans/export/").status_code == 403


def test_an_action_links_to_its_indicator_and_the_case_audit_it_came_from(client_for):
    from django.contrib.auth.models import User

    from readiness.dashboards.models import Indicator
    from tests.factories.casework import CaseAuditFactory

    call_command_quietly("load_indicators")
    indicator = Indicator.objects.order_by("order").first()
    audit = CaseAuditFactory(auditor=User.objects.create_user("someone"))
    action = ActionFactory()
    url = reverse("readiness:action-update", kwargs={"action_pk": action.pk})
    pm = client_for(PM)
    refused = pm.post(
        url, _action_post(action, indicator_code=indicator.code, source_audit_reference="999999")
    )
    assert refused.status_code == 200
    assert "There is no case audit number" in refused.content.decode()
    saved = pm.post(
        url, _action_post(action, indicator_code=indicator.code, source_audit_reference=f"audit #{audit.pk}")
    )
    assert saved.status_code == 302
    action.refresh_from_db()
    assert action.source_audit_reference == str(audit.pk)
    page = pm.get(action.get_absolute_url()).content.decode()
    assert reverse("casework:audit-edit", kwargs={"audit_pk": audit.pk}) in page
    assert indicator.name in page


def call_command_quietly(name: str) -> None:
    import io

    from django.core.management import call_command

    call_command(name, stdout=io.StringIO())
