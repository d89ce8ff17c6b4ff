"""One indicator's page: definition, latest value and RAG, rule, trend with its table, linked actions."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from readiness import roles
from readiness.dashboards.models import Indicator, Snapshot

pytestmark = pytest.mark.django_db

CODE = "icpc_15wd"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _indicator(**overrides) -> Indicator:
    values = {
        "code": CODE,
        "name": "Initial child protection conferences within 15 working days",
        "timescale": "15 working days from the strategy discussion",
        "unit": Indicator.Unit.PERCENT,
        "target": Decimal("90"),
        "amber_threshold": Decimal("90"),
        "red_threshold": Decimal("75"),
        "polarity": Indicator.Polarity.HIGHER_IS_BETTER,
        "source": "casework.indicators.icpc_within_15_days",
        "area_code": "help_and_protection",
        "is_national_measure": True,
        "notes": "Conferences held in the last six months.",
    }
    return Indicator.objects.create(**(values | overrides))


def _snap(indicator, days_ago: int, numerator: int, denominator: int) -> Snapshot:
    value = None if not denominator else Decimal(100 * numerator) / Decimal(denominator)
    return Snapshot.objects.create(
        indicator=indicator,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        value=None if value is None else value.quantize(Decimal("0.01")),
        numerator=numerator,
        denominator=denominator,
    )


def _url(code=CODE, **query):
    url = reverse("readiness:indicator-detail", kwargs={"indicator_code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _trend_rows(html: str) -> list[str]:
    table = re.search(r'data-testid="trend-table">(.*?)</table>', html, re.S)
    assert table, "no trend table"
    body = table.group(1).split("<tbody", 1)[1]
    return re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)


def test_page_shows_definition_latest_value_rag_and_counts(client_for):
    indicator = _indicator()
    _snap(indicator, 14, 9, 10)  # 90%: green two weeks ago
    _snap(indicator, 0, 7, 10)  # 70%: below the red threshold of 75% today
    html = client_for(roles.DCS).get(_url()).content.decode()
    assert (
        '<h1 class="govuk-heading-l">Initial child protection conferences within 15 working days</h1>' in html
    )
    value = re.search(r'data-testid="indicator-value">(.*?)</p>', html, re.S).group(1)
    assert "70%" in value and "Red" in value and "Green" not in value
    assert "7 of 10" in html
    definition = re.search(r'data-testid="definition">(.*?)</dl>', html, re.S).group(1)
    assert "15 working days from the strategy discussion" in definition
    assert "Higher is better. Amber when below 90%, red when below 75%; otherwise green." in definition
    assert "Yes: published nationally" in definition
    assert "Conferences held in the last six months." in definition
    # The rule is the casework selector's own description, read without running it.
    rule = re.search(r'data-testid="rule">(.*?)</p>', html, re.S).group(1)
    assert "within 15 working days of the strategy discussion" in rule


def test_amber_and_lower_is_better_are_worded_the_other_way(client_for):
    indicator = _indicator(
        code="pre_proceedings",
        polarity=Indicator.Polarity.LOWER_IS_BETTER,
        target=Decimal("10"),
        amber_threshold=Decimal("10"),
        red_threshold=Decimal("25"),
        is_national_measure=False,
        notes="",
    )
    _snap(indicator, 0, 3, 20)  # 15%: worse than amber, better than red
    html = client_for(roles.PERFORMANCE_MANAGER).get(_url("pre_proceedings")).content.decode()
    value = re.search(r'data-testid="indicator-value">(.*?)</p>', html, re.S).group(1)
    assert "15%" in value and "Amber" in value
    assert "Lower is better. Amber when above 10%, red when above 25%; otherwise green." in html
    assert "No: a local measure" in html


def test_trend_has_a_chart_and_a_table_of_13_weeks_by_default_and_52_on_request(client_for):
    indicator = _indicator()
    for week in range(0, 52, 2):  # a snapshot every other week for a year
        _snap(indicator, week * 7, 80 + week % 10, 100)
    client = client_for(roles.DCS)

    html = client.get(_url()).content.decode()
    rows = _trend_rows(html)
    assert len(rows) == 13
    assert "<svg" in html and 'aria-labelledby="trend-icpc_15wd-title trend-icpc_15wd-desc"' in html
    assert "trend over 13 weeks" in html
    # Every other week has a snapshot; the others say so rather than showing a made-up number.
    assert sum("No snapshot that week" in row for row in rows) == 6
    newest = rows[-1]
    assert "80%" in newest and ">80<" in newest and ">100<" in newest
    assert "Showing the last 13 weeks." in html
    assert '<a class="govuk-link" href="?weeks=52#trend">Show the last 52 weeks</a>' in html
    assert 'class="app-trend"' in html and "app-sparkline" not in html

    html = client.get(_url(weeks=52)).content.decode()
    assert len(_trend_rows(html)) == 52
    assert "trend over 52 weeks" in html
    assert "Showing the last 52 weeks." in html and 'href="?weeks=13#trend"' in html

    # Anything else is the default, never an error or an unbounded read.
    for weeks in ("7", "5000", "x"):
        assert len(_trend_rows(client.get(_url(weeks=weeks)).content.decode())) == 13


def test_a_week_with_no_cases_reads_as_such_not_as_zero(client_for):
    indicator = _indicator()
    _snap(indicator, 7, 0, 0)
    _snap(indicator, 0, 1, 2)
    html = client_for(roles.DCS).get(_url()).content.decode()
    rows = _trend_rows(html)
    assert "No cases to measure" in rows[-2] and "0%" not in rows[-2]
    assert "50%" in rows[-1]


def test_indicator_without_snapshots_says_so(client_for):
    _indicator()
    html = client_for(roles.DCS).get(_url()).content.decode()
    assert "No snapshot yet: the first is taken tonight" in html
    assert "No snapshots in this period" in html
    assert 'data-testid="trend-table"' not in html


def test_indicator_without_a_source_says_so(client_for):
    _indicator(source="")
    html = client_for(roles.DCS).get(_url()).content.decode()
    assert "No data source yet" in html
    assert "its source does not describe it further" in html


def test_unknown_code_is_a_govuk_404(client_for):
    _indicator()
    response = client_for(roles.DCS).get(_url("no-such-indicator"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.DCS, 200),
        (roles.PERFORMANCE_MANAGER, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.BOARD_MEMBER, 403),  # their home shows no indicators: refused, not suppressed
        (roles.AUDITOR, 403),
        (None, 403),
    ],
)
def test_who_may_see_the_page(client_for, role, status):
    _snap(_indicator(), 0, 1, 2)
    response = client_for(role).get(_url())
    assert response.status_code == status
    if status == 403:
        assert b"50%" not in response.content


def test_children_link_only_for_roles_that_may_see_child_records(client_for):
    _snap(_indicator(), 0, 1, 2)
    children = reverse("casework:indicator-children", kwargs={"selector_code": "icpc_15_wd"})
    assert children in client_for(roles.DCS).get(_url()).content.decode()
    # Someone who may read the dashboards but not child records gets the page without the link.
    user = User.objects.create_user("dashboards-only")
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client = Client()
    client.force_login(user)
    response = client.get(_url())
    assert response.status_code == 200
    assert children not in response.content.decode()
    assert "/casework/" not in response.content.decode()


def test_no_children_link_for_an_indicator_readiness_computes(client_for):
    _indicator(code="audits_good", source="readiness.dashboards.sources.audits_good_or_better")
    html = client_for(roles.DCS).get(_url("audits_good")).content.decode()
    assert "/casework/indicators/" not in html
    assert "Audits submitted in the six months to the day graded good or outstanding" in html


def test_linked_actions_show_how_to_improve(client_for):
    from tests.factories.plans import ActionFactory

    _indicator()
    linked = ActionFactory(indicator_code=CODE, indicator_target="90%", description="Book conferences sooner")
    ActionFactory(indicator_code="something_else", description="Unrelated action")
    html = client_for(roles.DCS).get(_url()).content.decode()
    actions = re.search(r'data-testid="actions">(.*?)</table>', html, re.S).group(1)
    assert "Book conferences sooner" in actions and linked.get_absolute_url() in actions
    assert "Aims for 90%" in actions
    assert "Unrelated action" not in html


def test_no_linked_actions_is_said_in_plain_english(client_for):
    _indicator()
    html = client_for(roles.PERFORMANCE_MANAGER).get(_url()).content.decode()
    assert "No improvement plan action is linked to this indicator yet." in html
    assert reverse("readiness:plan-list") in html  # a performance manager can add one


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(weeks=52)).status_code == 200
    snapshot_reads = [q for q in captured.captured_queries if "readiness_snapshot" in q["sql"]]
    assert len(snapshot_reads) == 1
    assert not [q for q in captured.captured_queries if "casework_" in q["sql"]]  # no child-level table
    return len(captured)


def test_queries_do_not_grow_with_snapshots_or_children(client_for):
    from tests.factories.casework import ChildFactory
    from tests.factories.plans import ActionFactory

    client = client_for(roles.DCS)
    indicator = _indicator()
    ActionFactory(indicator_code=CODE)
    _snap(indicator, 0, 1, 2)
    _queries(client)  # the first request of a session also writes it; measure from the second
    few = _queries(client)
    for days in range(1, 364):
        _snap(indicator, days, days % 7, 7)
    ChildFactory.create_batch(30)
    ActionFactory.create_batch(3, indicator_code=CODE)
    many = _queries(client)
    assert many == few
    # Session, user, two permission reads, the indicator, its snapshots, its actions, the worker
    # heartbeat of the page banner, and the request's savepoint pair.
    assert many <= 10


def test_dcs_page_and_readiness_overview_link_each_indicator_name(client_for):
    from readiness.dashboards.definitions import indicators_load
    from tests.factories.inspections import framework

    indicators_load()
    framework("ilacs-2026")
    client = client_for(roles.DCS)
    dcs_page = client.get(reverse("readiness:dashboard")).content.decode()
    overview = client.get(reverse("readiness:readiness-overview")).content.decode()
    for indicator in Indicator.objects.all():
        link = f'href="{_url(indicator.code)}">{escape(indicator.name)}</a>'
        assert link in dcs_page, indicator.code
        if indicator.area_code:
            assert link in overview, indicator.code
