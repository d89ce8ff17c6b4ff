"""A performance manager records a mock ILACS inspection, its judgements, and sees its deadlines."""

import re

import pytest
from playwright.sync_api import expect

from readiness import roles
from tests.conftest import make_user
from tests.factories.inspections import framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATES = {
    "notified_on": (2, 6, 2025),
    "onsite_start_on": (9, 6, 2025),
    "onsite_end_on": (20, 6, 2025),
    "final_report_received_on": (25, 7, 2025),
}


def fill_date(page, name, day_month_year):
    for index, value in enumerate(day_month_year):
        page.locator(f'[name="{name}_{index}"]').fill(str(value))


def test_record_a_mock_inspection_and_see_its_milestones(sign_in, page, live_server):
    ilacs = framework("ilacs-2023")  # transactional tests flush the data migration's rows
    make_user(roles.PERFORMANCE_MANAGER)
    sign_in("pm")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Inspections", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspections")
    page.get_by_role("button", name="Add an inspection").click()

    # A date out of order is refused, with the field named and the input kept.
    page.get_by_label("Framework").select_option(label=str(ilacs))
    page.get_by_label("Mock inspection").check()
    page.get_by_label("Title").fill("Mock ILACS, June 2025")
    for name, value in DATES.items():
        fill_date(page, name, value)
    fill_date(page, "onsite_end_on", (6, 6, 2025))
    page.get_by_role("button", name="Save inspection").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The last on-site day must be the same as or after the first on-site day")
    expect(page.get_by_label("Title")).to_have_value("Mock ILACS, June 2025")

    fill_date(page, "onsite_end_on", DATES["onsite_end_on"])
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock ILACS, June 2025")
    expect(page.get_by_text("Inspection added")).to_be_visible()

    page.get_by_role("button", name="Record judgements").click()
    for area in ("overall", "leaders", "help_and_protection", "children_in_care", "care_leavers"):
        page.locator(f'[name="grade_{area}"]').select_option("requires_improvement")
    page.get_by_role("button", name="Save judgements").click()

    judgements = page.get_by_test_id("judgements")
    expect(judgements).to_contain_text("Overall effectiveness")
    expect(judgements).to_contain_text("Requires improvement")
    milestones = page.get_by_test_id("milestones")
    expect(milestones).to_contain_text("working days after final report received on Fri 25 Jul 2025")
    expect(milestones).to_contain_text("Typically around")
    expect(milestones).to_contain_text("Due ")
