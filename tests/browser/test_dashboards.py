"""The DCS sees every block of the daily page; a board member sees aggregates only."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from readiness import roles
from tests.conftest import make_user
from tests.readiness.test_dashboard import _demo_like

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DCS_BLOCKS = (
    "Self-assessed grades against good",
    "Indicators against targets",
    "Actions overdue or at risk",
    "Case audits: grades and moderation",
    "Next deadlines",
    "Latest inspection and the next one",
)


def test_dcs_sees_each_block_of_the_daily_page(sign_in, page, live_server):
    cache.clear()
    _demo_like(size=2)
    make_user(roles.DCS)
    sign_in("dcs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness at a glance")
    for heading in DCS_BLOCKS:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_role("cell", name="Below good").first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("trend over 13 weeks")).first).to_be_visible()
    expect(page.get_by_text("Average caseload per social worker")).to_be_visible()
    expect(page.get_by_text("No data source yet")).to_have_count(0)  # every indicator has a source
    expect(page.get_by_role("link", name="Overdue action 0")).to_be_visible()
    # Each indicator name opens its own page: definition, value, trend chart and its table.
    page.get_by_test_id("indicators").get_by_role("link", name="Children in care", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in care")
    expect(page.get_by_role("heading", level=2, name="Trend")).to_be_visible()
    expect(page.get_by_test_id("trend-table")).to_be_visible()
    page.go_back()
    nav = page.get_by_role("navigation", name="Menu")
    nav.get_by_role("link", name="Control room", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection control room")
    expect(page.get_by_role("heading", name="No inspection is on site today")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Readiness overview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness overview")
    cache.clear()


def test_board_member_sees_only_aggregates(sign_in, page, live_server):
    from django.utils import timezone

    from casework.models import Child
    from tests.factories.plans import ActionFactory, PriorityFactory

    cache.clear()
    Child.objects.create(child_id="C0001", birth_year=2015)
    priority = PriorityFactory()
    today = timezone.localdate()
    for n in range(3):
        ActionFactory(priority=priority, due_on=today - dt.timedelta(days=n + 1))
    make_user(roles.BOARD_MEMBER)
    sign_in("board")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
    rag = page.get_by_test_id("board-rag")
    expect(rag.get_by_role("row", name="Overdue c")).to_be_visible()
    expect(page.get_by_text("C0001")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Menu")
    for label in ("Dashboard", "Control room", "Readiness overview"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    page.goto(f"{live_server.url}/control-room/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    page.goto(f"{live_server.url}/indicators/open_looked_after/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
