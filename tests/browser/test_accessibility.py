"""axe-core in Chromium on the main pages: no serious or critical violations; keyboard-only sign-in.

axe-core 4.14.1 is vendored from the npm registry (tests/data/axe.min.js, MPL-2.0). Playwright
injects it, which the page's Content-Security-Policy would block, so these contexts bypass CSP —
only for the checker; the pages themselves are served exactly as in production.
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from readiness import roles
from tests.conftest import TEST_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "data" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in violations
    ]
    assert not violations, f"{what}: {json.dumps(summary, indent=1)}"


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_sign_in_page_and_its_errors_are_accessible(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page, "sign-in page")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "sign-in page with errors")
    page.goto(f"{live_server.url}/accessibility/")
    assert_accessible(page, "accessibility statement")


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (roles.DCS, "readiness:dashboard"),
        (roles.DCS, "readiness:control-room"),
        (roles.AUDITOR, "casework:audit-list"),
        (roles.PERFORMANCE_MANAGER, "inspections:inspection-list"),
        (roles.PERFORMANCE_MANAGER, "inspections:inspection-create"),
        (roles.PERFORMANCE_MANAGER, "inspections:framework-list"),
        (roles.PERFORMANCE_MANAGER, "inspections:framework-upload"),
        (roles.PERFORMANCE_MANAGER, "inspections:framework-upload-confirm"),
        (roles.PERFORMANCE_MANAGER, "inspections:nonworkingday-list"),
        (roles.PERFORMANCE_MANAGER, "inspections:nonworkingday-create"),
        (roles.PERFORMANCE_MANAGER, "readiness:plan-list"),
        (roles.PERFORMANCE_MANAGER, "readiness:deadlines"),
        (roles.PERFORMANCE_MANAGER, "casework:child-list"),
        (roles.PERFORMANCE_MANAGER, "casework:annex-a-check"),
        (roles.PERFORMANCE_MANAGER, "casework:audit-action-list"),
        (roles.DCS, "readiness:system-status"),
        (roles.BOARD_MEMBER, "readiness:board-home"),
        (roles.BOARD_MEMBER, "readiness:national"),
        (roles.ADMINISTRATOR, "readiness:person-list"),
        (roles.ADMINISTRATOR, "readiness:person-create"),
    ],
)
def test_main_pages_are_accessible(page, live_server, role, url_name):
    user = make_user(role)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse(url_name)}")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, url_name)


def test_indicator_page_and_its_children_are_accessible(page, live_server):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from casework.models import Child, Event
    from readiness.dashboards.models import Indicator, Snapshot

    indicator = Indicator.objects.create(
        code="icpc_15wd",
        name="Initial child protection conferences within 15 working days",
        target=Decimal("85"),
        amber_threshold=Decimal("85"),
        red_threshold=Decimal("70"),
        source="casework.indicators.icpc_within_15_days",
    )
    today = timezone.localdate()
    for week in range(13):
        Snapshot.objects.create(
            indicator=indicator,
            date=today - dt.timedelta(weeks=week),
            value=Decimal(60 + week),
            numerator=60 + week,
            denominator=100,
        )
    for n, held in enumerate((20, 45)):
        child = Child.objects.create(child_id=f"C{n:04d}", birth_year=2015)
        Event.objects.create(
            child=child, kind=Event.Kind.STRATEGY_DISCUSSION, occurred_on=today - dt.timedelta(days=60)
        )
        Event.objects.create(
            child=child, kind=Event.Kind.ICPC, occurred_on=today - dt.timedelta(days=60 - held)
        )
    user = make_user(roles.DCS)
    _sign_in(page, live_server, user.username)
    page.goto(
        f"{live_server.url}{reverse('readiness:indicator-detail', kwargs={'indicator_code': 'icpc_15wd'})}"
    )
    expect(page.get_by_test_id("trend-table")).to_be_visible()
    # The trend is a full-width chart, not squeezed into the DCS page's 120-pixel sparkline box.
    assert page.locator("svg.app-trend").bounding_box()["width"] > 300
    assert_accessible(page, "indicator page")
    page.get_by_role("link", name="See the children counted today").click()
    expect(page.get_by_test_id("children")).to_be_visible()
    assert_accessible(page, "children behind an indicator")


def test_a_form_with_errors_is_accessible(page, live_server):
    user = make_user(roles.PERFORMANCE_MANAGER)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('inspections:inspection-create')}")
    page.locator("#main-content form button").first.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "inspection form with errors")


def test_annex_a_check_with_problems_and_with_a_bad_date_is_accessible(page, live_server):
    import datetime as dt

    from django.utils import timezone

    from casework.models import Event
    from tests.factories.casework import ChildFactory, EventFactory

    today = timezone.localdate()
    for n in range(55):  # more than one page of problems, so the pagination is checked too
        EventFactory(
            child=ChildFactory(child_id=f"A{n:03d}"),
            kind=Event.Kind.ASSESSMENT_COMPLETED,
            occurred_on=today - dt.timedelta(days=5),
        )
    user = make_user(roles.PERFORMANCE_MANAGER)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('casework:annex-a-check')}")
    expect(page.get_by_role("button", name="Download the workbook")).to_be_visible()
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page, "Annex A check with problems")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Check the return").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "Annex A check with a bad date")


def test_people_pages_and_the_add_person_form_with_errors_are_accessible(page, live_server):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = make_user(roles.ADMINISTRATOR)
    person = make_user(roles.DCS)
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    AccessAttempt.objects.create(
        username=person.username, ip_address="192.0.2.1", user_agent="test", failures_since_start=5
    )
    _sign_in(page, live_server, admin.username)
    page.goto(f"{live_server.url}{reverse('readiness:person-create')}")
    page.get_by_label("Username").fill(person.username)  # taken
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "add a person, with errors")
    page.goto(f"{live_server.url}{reverse('readiness:person-list')}?q=no-such-person")
    expect(page.get_by_text("No people found")).to_be_visible()
    assert_accessible(page, "people list, nobody found")
    page.goto(f"{live_server.url}{reverse('readiness:person-role', args=[person.pk])}")
    page.get_by_role("radio", name=roles.AUDITOR).check()
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_text("Changes to this account")).to_be_visible()
    expect(page.get_by_role("button", name=f"Unlock {person.get_full_name()}")).to_be_visible()
    assert_accessible(page, "a person's page with a lock-out and history")
    page.goto(f"{live_server.url}{reverse('readiness:person-deactivate', args=[admin.pk])}")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "deactivate yourself, refused")


def test_sign_in_with_the_keyboard_only(page, live_server):
    user = make_user(roles.DCS)
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_label("Username")).to_be_focused()  # the form's first field has focus
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()


def test_the_skip_link_is_the_first_stop_and_moves_to_the_main_content(page, live_server):
    page.goto(f"{live_server.url}/accessibility/")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_plan_sample_and_audit_pages_are_accessible(page, live_server):
    from tests.factories.casework import CaseAuditFactory
    from tests.factories.plans import ActionFactory

    pm = make_user(roles.PERFORMANCE_MANAGER)
    auditor = make_user(roles.AUDITOR)
    action = ActionFactory(owner=pm)
    audit = CaseAuditFactory(auditor=auditor)
    _sign_in(page, live_server, pm.username)
    checks = [
        ("plan overview", reverse("readiness:plan-detail", kwargs={"plan_pk": action.priority.plan_id})),
        ("sample progress", reverse("casework:sample-detail", kwargs={"sample_pk": audit.member.sample_id})),
    ]
    for what, url in checks:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, what)
    # The action form with errors: clear the description and send it.
    page.goto(f"{live_server.url}{reverse('readiness:action-update', kwargs={'action_pk': action.pk})}")
    page.locator("#main-content textarea").first.fill("")
    page.locator("#main-content form button").first.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "action form with errors")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, auditor.username)
    page.goto(f"{live_server.url}{reverse('casework:audit-edit', kwargs={'audit_pk': audit.pk})}")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, "audit form")


def test_the_form_marking_an_action_for_a_child_as_done_is_accessible_with_its_errors(page, live_server):
    import datetime as dt

    from casework.models import CaseAuditAction
    from tests.factories.casework import CaseAuditFactory

    auditor = make_user(roles.AUDITOR)
    audit = CaseAuditFactory(auditor=auditor, status="submitted")
    action = CaseAuditAction.objects.create(
        audit=audit, text="Visit the child at home", owner="Team manager", due_on=dt.date(2026, 1, 5)
    )
    _sign_in(page, live_server, auditor.username)
    page.goto(
        f"{live_server.url}{reverse('casework:audit-action-done', kwargs={'audit_action_pk': action.pk})}"
    )
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, "mark an action as done")
    page.locator("#main-content form button").first.click()  # no note: an error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "mark an action as done, with errors")


def test_a_progress_update_with_the_keyboard_only(page, live_server):
    from readiness.plans.models import ProgressUpdate
    from tests.factories.plans import ActionFactory

    pm = make_user(roles.PERFORMANCE_MANAGER)
    action = ActionFactory(owner=pm)
    _sign_in(page, live_server, pm.username)
    page.goto(f"{live_server.url}{reverse('readiness:progress-create', kwargs={'action_pk': action.pk})}")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")  # focus moves to the main content
    typed = chosen = False
    for _ in range(60):  # Tab through the form: type the update, choose a RAG, stop at the button
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.tagName + ':' + (document.activeElement.type || '')")
        if focused.startswith("TEXTAREA") and not typed:
            page.keyboard.type("Supervision audit done; findings shared with team managers.")
            typed = True
        elif focused == "INPUT:radio" and not chosen:
            page.keyboard.press("Space")
            chosen = True
        elif focused.startswith("BUTTON") and typed:
            break
    assert typed and chosen
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner, .govuk-error-summary").first).to_be_visible()
    assert ProgressUpdate.objects.filter(action=action).count() == 1, page.content()[:3000]


def test_deadlines_page_with_every_group_is_accessible(page, live_server):
    import datetime as dt

    from django.utils import timezone

    from tests.factories.inspections import MilestoneFactory
    from tests.factories.plans import ActionFactory

    today = timezone.localdate()
    MilestoneFactory(name="Factual accuracy comments", due_on=today - dt.timedelta(days=3))
    MilestoneFactory(name="Action plan to Ofsted", due_on=today + dt.timedelta(days=2))
    ActionFactory(due_on=today + dt.timedelta(days=60), start_on=None)
    user = make_user(roles.DCS)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('readiness:deadlines')}")
    for group in ("overdue", "next", "later"):
        expect(page.get_by_test_id(f"deadlines-{group}")).to_be_visible()
    assert_accessible(page, "deadlines page")
    page.get_by_label("Improvement plan action").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Improvement plan action")).to_be_checked()
    expect(page.get_by_test_id("deadlines-overdue")).to_have_count(0)
    assert_accessible(page, "deadlines page, filtered")


def test_framework_detail_and_calendar_errors_are_accessible(page, live_server):
    from tests.factories.inspections import framework

    framework("sif-2013")
    user = make_user(roles.PERFORMANCE_MANAGER)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('inspections:framework-detail', kwargs={'code': 'sif-2013'})}")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, "framework detail")
    page.goto(f"{live_server.url}{reverse('inspections:nonworkingday-create')}")
    page.get_by_role("textbox", name="Day", exact=True).fill("25")
    page.get_by_role("textbox", name="Month", exact=True).fill("12")
    page.get_by_role("textbox", name="Year", exact=True).fill("2026")
    page.get_by_label("Reason").fill("Council closure")
    page.get_by_role("button", name="Add to the calendar").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Christmas Day")
    assert_accessible(page, "working calendar form with errors")


def test_framework_upload_changes_and_discard_are_accessible(page, live_server, tmp_path):
    """The confirmation page at its fullest (added, changed and removed items, deadlines that would
    move), then discarding it with the keyboard and the notification banner it leaves."""
    import datetime as dt

    from inspections import framework_files, services
    from tests.factories.inspections import InspectionFactory, framework

    inspection = InspectionFactory(
        framework=framework("ilacs-2023"), final_report_received_on=dt.date(2019, 3, 27)
    )
    services.milestones_compute(inspection=inspection)
    text = (framework_files.FRAMEWORKS_DIR / "ilacs-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 1\n", "\nversion: 2\n").replace("    offset: 70\n", "    offset: 71\n", 1)
    start, end = text.index("  - code: publication\n"), text.index("  - code: la_publishes_report\n")
    path = tmp_path / "ilacs-2023.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")

    user = make_user(roles.PERFORMANCE_MANAGER)
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('inspections:framework-upload')}")
    page.get_by_label("Upload a framework file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    expect(page.get_by_role("heading", name="Deadlines worked out again")).to_be_visible()
    assert_accessible(page, "framework upload confirmation with changes")

    page.get_by_role("button", name="Discard this upload").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Upload discarded; nothing changed.")
    assert_accessible(page, "framework library after discarding an upload")
