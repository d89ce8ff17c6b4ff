"""A performance manager adds a progress update with a RAG status and sees it on the plan overview."""

import pytest
from playwright.sync_api import expect

from readiness import roles
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_performance_manager_adds_a_progress_update_and_sees_it_on_the_overview(sign_in, live_server):
    from tests.factories.plans import ActionFactory, PriorityFactory

    user = make_user(roles.PERFORMANCE_MANAGER)
    priority = PriorityFactory(title="Strengthen management oversight")
    action = ActionFactory(priority=priority, description="Audit supervision records monthly", owner=user)
    page = sign_in(user.username)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name=priority.plan.title).click()
    page.get_by_role("link", name=action.description).click()
    page.get_by_role("button", name="Add a progress update").click()
    page.get_by_label("What has happened since the last update?").fill("Partner audits stopped in March")
    page.get_by_label("Off track").check()
    page.get_by_role("button", name="Add update").click()

    expect(page.get_by_text("Progress update added")).to_be_visible()
    expect(page.locator("#updates")).to_contain_text("Partner audits stopped in March")
    page.get_by_role("link", name="Back to the plan").click()
    row = page.locator(f"#priority-{priority.pk} tr", has_text=action.description)
    expect(row).to_contain_text("Off track")
    expect(page.locator("#rag-table")).to_be_visible()
