"""Browser journeys for the control room's preview of a mock inspection, the audit list's views and
the child list's "Open now" filter, each with axe-core on the page it ends on.

Dates are worked out from today with the working-day calendar, so nothing here freezes time: the
live server runs in another thread. The control room's 30-second HTMX refresh is brought forward
with Playwright's fake clock rather than waited for.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import CaseAudit, Cohort
from inspections.models import DataRequest, Inspection, Meeting
from readiness import roles
from tests.browser.test_accessibility import _sign_in, assert_accessible, browser_context_args  # noqa: F401
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, ChildFactory, EpisodeFactory
from tests.factories.inspections import InspectionFactory, framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _long_date(day: dt.date) -> str:
    """As the templates' "l j F Y": Thursday 3 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element's accessible text starts with `name`; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.innerText || '').replace(/\\s+/g, ' ').trim()")
        if text.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


# --- 1. The control room's preview of a mock inspection ----------------------------------------


@pytest.fixture
def mock_ahead():
    """A mock inspection on site from three working days after today, for two weeks of working days,
    with a meeting on its day 1 and its day 2 and a data request due on day 2."""
    from inspections.selectors import working_calendar

    calendar = working_calendar()
    today = timezone.localdate()
    day1 = calendar.add_working_days(today, 3)
    day2 = calendar.add_working_days(day1, 1)
    mock = InspectionFactory(
        framework=framework("ilacs-2023"),
        kind=Inspection.Kind.MOCK,
        title="Mock ILACS with peer reviewers",
        notified_on=today,
        onsite_start_on=day1,
        onsite_end_on=calendar.add_working_days(day1, 9),
    )
    Meeting.objects.create(inspection=mock, title="Opening meeting with the DCS", starts_at=_at(day1, 9))
    Meeting.objects.create(
        inspection=mock,
        title="Focus group with care leavers",
        kind=Meeting.Kind.MEETING,
        who="Six care leavers and their personal advisers",
        starts_at=_at(day2, 11),
    )
    DataRequest.objects.create(
        inspection=mock, what="Supervision records for team 3", due_at=_at(day2, 23, 30)
    )
    return {"mock": mock, "day1": day1, "day2": day2, "today": today, "calendar": calendar}


def test_dcs_previews_the_control_room_for_a_mock_inspection_ahead(page, live_server, mock_ahead):
    mock, day1, day2 = mock_ahead["mock"], mock_ahead["day1"], mock_ahead["day2"]
    until = mock_ahead["calendar"].working_days_between(mock_ahead["today"], day1)
    assert until == 3
    # A fake clock, so the panel's 30-second refresh can be brought forward instead of waited for.
    page.clock.install()
    make_user(roles.DCS)
    _sign_in(page, live_server, "dcs")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Control room", exact=True).click()

    # Nothing on site: the room names the mock ahead, its first day and how many working days away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection control room")
    expect(page.get_by_role("heading", name="No inspection is on site today")).to_be_visible()
    next_on_site = page.get_by_test_id("next-inspection")
    expect(next_on_site).to_contain_text("Mock ILACS with peer reviewers")
    expect(next_on_site).to_contain_text("Mock inspection")
    expect(next_on_site).to_contain_text(f"on site from {_long_date(day1)}, in 3 working days.")

    # Keyboard only: Tab to the preview link and press Enter.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    _tab_to(page, "Preview the control room for its first day")
    expect(page.get_by_role("link", name="Preview the control room for its first day")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/control-room/\?preview={mock.pk}&day=1$"))
    expect(page).to_have_title(re.compile(r"^Preview: Mock inspection control room"))
    banner = page.get_by_test_id("preview-banner")
    expect(banner).to_contain_text(
        "Preview: this is how the control room will look on day 1 "
        f"({_long_date(day1)}). Nothing here is live."
    )
    expect(banner.get_by_role("link", name="Back to the live control room")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock inspection control room")
    expect(page.get_by_test_id("onsite-day")).to_contain_text("Day 1 of 10 on site")
    expect(page.get_by_test_id("onsite-day")).to_contain_text("Mock inspection")
    meetings = page.get_by_test_id("meetings")
    expect(meetings).to_contain_text("Opening meeting with the DCS")
    expect(meetings).not_to_contain_text("Focus group with care leavers")
    expect(page.get_by_test_id("requests-summary")).to_contain_text("1 outstanding · 0 overdue")
    days = page.get_by_role("navigation", name="Days on site")
    expect(days.get_by_role("link", name=re.compile("^Previous"))).to_have_count(0)

    # Next: to day 2, with that day's meeting and the request due that day.
    days.get_by_role("link", name=re.compile("^Next day")).click()
    expect(page).to_have_url(re.compile(rf"/control-room/\?preview={mock.pk}&day=2$"))
    expect(banner).to_contain_text(f"on day 2 ({_long_date(day2)}). Nothing here is live.")
    expect(page.get_by_test_id("onsite-day")).to_contain_text("Day 2 of 10 on site")
    expect(meetings).to_contain_text("Focus group with care leavers")
    expect(meetings).to_contain_text("Six care leavers and their personal advisers")
    expect(meetings).not_to_contain_text("Opening meeting with the DCS")
    expect(page.get_by_role("table", name="Data requests not yet closed")).to_contain_text(
        "Supervision records for team 3"
    )
    expect(days.get_by_role("link", name=re.compile("^Previous day"))).to_contain_text(
        f"Day 1, {day1:%A} {day1.day}"
    )
    expect(days.get_by_role("link", name=re.compile("^Next day"))).to_be_visible()
    assert_accessible(page, "control room preview, day 2")

    # The panel's own refresh keeps the preview's day: mark the old panel, bring the clock forward
    # past 30 seconds, and the request HTMX sends asks for day 2 and replaces the marked panel.
    panel = page.locator("#control-room")
    expect(panel).to_have_attribute("hx-get", f"/control-room/panel/?preview={mock.pk}&day=2")
    page.get_by_test_id("onsite-day").evaluate("el => el.setAttribute('data-before-refresh', '')")
    with page.expect_response(
        lambda r: "/control-room/panel/" in r.url and f"preview={mock.pk}" in r.url, timeout=10_000
    ) as refresh:
        page.clock.run_for("00:31")
    assert refresh.value.ok and refresh.value.url.endswith(f"?preview={mock.pk}&day=2")
    expect(page.locator("[data-before-refresh]")).to_have_count(0)
    expect(panel.get_by_test_id("onsite-day")).to_contain_text("Day 2 of 10 on site")
    expect(panel.get_by_test_id("meetings")).to_contain_text("Focus group with care leavers")
    expect(banner).to_contain_text("on day 2")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # the panel, not a whole page inside it

    # Previous, with the keyboard: back to day 1.
    _tab_to(page, "Previous")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/control-room/\?preview={mock.pk}&day=1$"))
    expect(page.get_by_test_id("onsite-day")).to_contain_text("Day 1 of 10 on site")


def test_a_mock_on_site_opens_the_room_labelled_as_a_mock(page, live_server):
    from inspections.selectors import working_calendar

    calendar = working_calendar()
    today = timezone.localdate()
    started = calendar.add_working_days(today, -1)  # on site since the last working day
    InspectionFactory(
        framework=framework("ilacs-2023"),
        kind=Inspection.Kind.MOCK,
        title="Mock ILACS on site now",
        onsite_start_on=started,
        onsite_end_on=calendar.add_working_days(started, 9),
    )
    make_user(roles.DCS)
    _sign_in(page, live_server, "dcs")
    page.goto(f"{live_server.url}/control-room/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock inspection control room")
    expect(page).to_have_title(re.compile(r"^Mock inspection control room"))
    day = page.get_by_test_id("onsite-day")
    expect(day).to_contain_text(re.compile(r"Day \d+ of 10 on site"))
    expect(day).to_contain_text("Mock inspection")
    expect(day).to_contain_text("Mock ILACS on site now")
    expect(page.get_by_test_id("preview-banner")).to_have_count(0)
    expect(page.locator("#control-room")).to_have_attribute("hx-get", "/control-room/panel/")
    assert_accessible(page, "control room with a mock on site")


# --- 2. The audit list's views -------------------------------------------------------------------


def test_auditor_sees_only_the_audits_waiting_for_moderation(page, live_server):
    auditor = make_user(roles.AUDITOR)
    other = make_user(roles.AUDITOR, username="other-auditor")
    today = timezone.localdate()
    stages = [
        ("T001", CaseAudit.Status.ASSIGNED, 10),
        ("T002", CaseAudit.Status.ASSIGNED, 5),
        ("P001", CaseAudit.Status.IN_PROGRESS, 20),
        ("S001", CaseAudit.Status.SUBMITTED, -3),
        ("S002", CaseAudit.Status.SUBMITTED, -1),
        ("M001", CaseAudit.Status.MODERATED, -10),
        ("H001", CaseAudit.Status.SHARED, -12),
    ]
    for child_id, status, due_in in stages:
        CaseAuditFactory(
            auditor=auditor,
            member__child=ChildFactory(child_id=child_id),
            status=status,
            due_on=today + dt.timedelta(days=due_in),
            shared_at=timezone.now() if status == CaseAudit.Status.SHARED else None,
        )
    # Another auditor's submitted audit is never on this auditor's list.
    CaseAuditFactory(
        auditor=other, member__child=ChildFactory(child_id="X001"), status=CaseAudit.Status.SUBMITTED
    )

    _sign_in(page, live_server, auditor.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    which = page.get_by_role("navigation", name="Which audits")
    for label in ("To do (3)", "Waiting for moderation (2)", "Moderated or shared (2)", "All (7)"):
        expect(which.get_by_role("link", name=label, exact=True)).to_be_visible()
    # All, with work to do first: started, then not started (soonest due first), then the rest.
    expect(which.get_by_role("link", name="All (7)")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table")
    first_column = table.locator("tbody tr td:first-child")
    expect(first_column).to_have_text(["P001", "T002", "T001", "S001", "S002", "M001", "H001"])
    expect(table.locator("tbody tr").first.locator(".govuk-tag")).to_have_text("In progress")
    expect(table.locator("tbody tr").first.locator(".govuk-tag")).to_have_class(
        re.compile("govuk-tag--light-blue")
    )

    which.get_by_role("link", name="Waiting for moderation (2)").click()
    expect(page).to_have_url(re.compile(r"\?show=to-moderate$"))
    current = which.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("Waiting for moderation (2)")
    expect(which.get_by_role("link", name="All (7)")).not_to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table", name="Waiting for moderation: 2 audits")).to_be_visible()
    expect(first_column).to_have_text(["S001", "S002"])
    tags = table.locator("tbody .govuk-tag")
    expect(tags).to_have_text(["Submitted", "Submitted"])
    for n in range(2):
        expect(tags.nth(n)).to_have_class(re.compile("govuk-tag--yellow"))
    for child_id in ("T001", "P001", "M001", "H001", "X001"):
        expect(page.get_by_role("link", name=child_id, exact=True)).to_have_count(0)
    assert_accessible(page, "audit list, waiting for moderation")


# --- 3. The child list's "Open now" filter -------------------------------------------------------


def test_performance_manager_filters_children_looked_after_across_pages(page, live_server):
    for n in range(53):
        EpisodeFactory(child=ChildFactory(child_id=f"L{n:03d}"), cohort=Cohort.LOOKED_AFTER)
    for n in range(4):
        EpisodeFactory(child=ChildFactory(child_id=f"A{n:03d}"), cohort=Cohort.CHILD_IN_NEED)
    ChildFactory(child_id="Z000")  # no episode at all
    # Looked after once, not now: not "Looked after" under Open now.
    EpisodeFactory(
        child=ChildFactory(child_id="E000"),
        cohort=Cohort.LOOKED_AFTER,
        start_on=dt.date(2023, 1, 2),
        end_on=dt.date(2024, 1, 2),
    )
    pm = make_user(roles.PERFORMANCE_MANAGER)
    _sign_in(page, live_server, pm.username)
    page.goto(f"{live_server.url}/casework/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    expect(page.get_by_role("table", name="59 children")).to_be_visible()
    expect(page.get_by_role("link", name="Show every child")).to_have_count(0)

    search = page.get_by_role("search", name="Find children")
    open_now = search.get_by_label("Open now")
    expect(open_now.locator("option")).to_have_text(
        [
            "Any",
            "Early help",
            "Child in need",
            "Child protection plan",
            "Looked after",
            "Care leaver",
            "No open episode",
        ]
    )
    open_now.select_option(label="Looked after")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"\?q=&open=looked_after&team=$"))
    expect(page.get_by_role("table", name="53 children")).to_be_visible()
    open_column = page.locator("tbody tr td:nth-child(4)")
    expect(open_column).to_have_count(50)
    expect(open_column.filter(has_not_text=re.compile("^Looked after$"))).to_have_count(0)
    for child_id in ("A000", "Z000", "E000"):
        expect(page.get_by_role("link", name=child_id, exact=True)).to_have_count(0)
    expect(open_now).to_have_value("looked_after")
    expect(page.get_by_role("link", name="Show every child")).to_be_visible()

    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(re.compile(r"\?open=looked_after&page=2$"))
    expect(page.get_by_role("table", name="53 children")).to_be_visible()
    expect(page.locator("tbody tr td:first-child")).to_have_text(["L050", "L051", "L052"])
    expect(open_column).to_have_text(["Looked after"] * 3)
    expect(open_now).to_have_value("looked_after")
    expect(open_now.locator("option:checked")).to_have_text("Looked after")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "child list, looked after, page 2")

    page.get_by_role("link", name="Show every child").click()
    expect(page.get_by_role("table", name="59 children")).to_be_visible()
    expect(open_now).to_have_value("")
    expect(
        page.get_by_role("row", name=re.compile(r"^A000 .*Child in need No team recorded$"))
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^E000 .*None No team recorded$"))).to_be_visible()
