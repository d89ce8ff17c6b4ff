"""People and roles in a real browser: an administrator adds an auditor (a mistake first, shown in the
GOV.UK error summary), the auditor signs in in a browser of their own, the administrator deactivates
them (after a confirmation page), the auditor's open session ends, and the auditor's page shows the
history with the administrator's name."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from readiness import roles
from readiness.people import views
from readiness.people.forms import ENTER_LAST_NAME, SELECT_ROLE
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL_PASSWORD = "plum-harbour-violet-72"  # noqa: S105 - a test password  # nosec B105
ADMIN_NAME = "Alex Morgan"


def _fill_add_form(page, *, last_name: str, choose_role: bool):
    page.get_by_label("Username").fill("jsmith")
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("E-mail address").fill("jo.smith@example.gov.uk")
    if choose_role:
        page.get_by_role("radio", name=roles.AUDITOR, exact=True).check()
    page.get_by_label("Initial password").fill(INITIAL_PASSWORD)
    page.get_by_role("button", name="Add person").click()


def test_administrator_adds_an_auditor_who_signs_in_then_is_deactivated_and_signed_out(
    sign_in, page, browser, live_server
):
    admin = make_user(roles.ADMINISTRATOR)
    admin.first_name, admin.last_name = ADMIN_NAME.split()
    admin.save()

    sign_in(admin.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.get_by_role("button", name="Add a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")

    # A mistake first: no last name and no role. Nothing is added and what was typed stays.
    _fill_add_form(page, last_name="", choose_role=False)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=ENTER_LAST_NAME)).to_be_visible()
    expect(summary.get_by_role("link", name=SELECT_ROLE)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Add a person"))
    expect(page.get_by_label("Username")).to_have_value("jsmith")
    assert not User.objects.filter(username="jsmith").exists()

    _fill_add_form(page, last_name="Smith", choose_role=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Smith added")
    expect(page.get_by_text(views.PERSON_ADDED.format(name="Jo Smith", role=roles.AUDITOR))).to_be_visible()
    person_url = page.get_by_role("link", name="See Jo Smith’s page").get_attribute("href")

    # The new person, in a browser of their own, signs in with the initial password.
    theirs = browser.new_context()
    try:
        their_page = theirs.new_page()
        their_page.goto(f"{live_server.url}/sign-in/")
        their_page.get_by_label("Username").fill("jsmith")
        their_page.get_by_label("Password").fill(INITIAL_PASSWORD)
        their_page.get_by_role("button", name="Sign in").click()
        # An auditor's home page is the first page their navigation offers: Children.
        expect(their_page).to_have_url(f"{live_server.url}/casework/children/")
        expect(their_page.get_by_role("button", name="Sign out")).to_be_visible()

        # The administrator deactivates them, through the confirmation page.
        page.goto(f"{live_server.url}{person_url}")
        page.get_by_role("link", name="Deactivate Jo Smith").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Jo Smith?")
        assert User.objects.get(username="jsmith").is_active  # the confirmation page changes nothing
        page.get_by_role("button", name="Deactivate").click()
        expect(page.get_by_text(views.DEACTIVATED.format(name="Jo Smith"))).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Jo Smith")

        # Their open session has ended: the next page they load is the sign-in page.
        their_page.reload()
        expect(their_page).to_have_url(re.compile(r"/sign-in/\?next=/casework/children/$"))
        expect(their_page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    finally:
        theirs.close()

    # The history on their page, newest first, each change made by the administrator by name.
    rows = page.locator("#changes tbody tr")
    expect(rows).to_have_count(2)
    deactivated, added = rows.nth(0), rows.nth(1)
    expect(deactivated).to_contain_text(ADMIN_NAME)
    expect(deactivated).to_contain_text("Active: Yes → No")
    expect(deactivated).to_contain_text("Signed out everywhere (1 session ended)")
    expect(added).to_contain_text(ADMIN_NAME)
    expect(added).to_contain_text("Added")
    expect(added).to_contain_text(f"Role: {roles.AUDITOR}")
    expect(added).to_contain_text("Username: jsmith")
