"""Sign in as each role and see the right navigation; a wrong password shows the error summary."""

import re

import pytest
from playwright.sync_api import expect

from readiness import roles
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAVIGATION = {
    roles.PERFORMANCE_MANAGER: {
        "Dashboard",
        "Control room",
        "Readiness overview",
        "Board",
        "Children",
        "Audits",
        "Inspections",
        "Plans",
        "My actions",
        "National picture",
    },
    roles.DCS: {
        "Dashboard",
        "Control room",
        "Readiness overview",
        "Board",
        "Children",
        "Audits",
        "Inspections",
        "Plans",
        "My actions",
        "National picture",
        "System status",
    },
    roles.AUDITOR: {"Children", "Audits", "Inspections"},
    roles.BOARD_MEMBER: {"Board", "National picture"},
    roles.ADMINISTRATOR: {
        "Dashboard",
        "Control room",
        "Readiness overview",
        "Board",
        "Children",
        "Audits",
        "Inspections",
        "Plans",
        "My actions",
        "National picture",
        "System status",
    },
}
NEVER = {
    "Dashboard",
    "Control room",
    "Readiness overview",
    "Board",
    "Children",
    "Audits",
    "Inspections",
    "Plans",
    "My actions",
    "National picture",
    "System status",
}


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_sees_its_own_navigation(sign_in, role):
    user = make_user(role)
    page = sign_in(user.username)
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav).to_be_visible()
    for label in NAVIGATION[role]:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in NEVER - NAVIGATION[role]:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_the_error_summary_focused(sign_in, page):
    make_user(roles.AUDITOR)
    sign_in("auditor", "this-is-not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript ran (no inline script needed)
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_label("Username")).to_have_value("auditor")


def test_board_member_is_refused_a_child_page_and_can_sign_out(sign_in, page, live_server):
    user = make_user(roles.BOARD_MEMBER)
    sign_in(user.username)
    page.goto(f"{live_server.url}/casework/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    page.goto(f"{live_server.url}/board/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/board/"))
