"""The children behind an indicator link back to the indicator page they were opened from (they had
no back link), on every page of the list, for those who may open indicator pages."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from casework import indicator_views
from casework.models import Child
from readiness import roles

pytestmark = pytest.mark.django_db

LIST = reverse("casework:indicator-children", kwargs={"selector_code": "icpc_15_wd"})
INDICATOR = reverse("readiness:indicator-detail", kwargs={"indicator_code": "icpc_15wd"})


def _back_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" class="govuk-back-link">', html)


def test_the_indicator_page_link_says_where_it_came_from(client_for):
    from readiness.dashboards.definitions import indicators_load

    cache.clear()
    indicators_load()
    html = client_for(roles.DCS).get(INDICATOR).content.decode()
    cache.clear()
    assert f'href="{LIST}?from=icpc_15wd"' in html


def test_the_list_opened_from_an_indicator_has_a_back_link_to_it(client_for):
    html = client_for(roles.DCS).get(f"{LIST}?from=icpc_15wd").content.decode()
    assert _back_links(html) == [INDICATOR]
    assert "Back to the indicator" in html


def test_later_pages_keep_the_back_link(client_for, monkeypatch):
    monkeypatch.setattr(indicator_views, "CHILDREN_PER_PAGE", 1)
    from tests.casework.test_indicator_children import _conferences

    _conferences(
        on_time=[Child.objects.create(child_id="A0001", birth_year=2015)],
        late=[Child.objects.create(child_id="Z0009", birth_year=2015)],
    )
    pm = client_for(roles.PERFORMANCE_MANAGER)
    html = pm.get(f"{LIST}?from=icpc_15wd").content.decode()
    assert "from=icpc_15wd&amp;page=2" in html
    page_two = pm.get(f"{LIST}?from=icpc_15wd&page=2").content.decode()
    assert _back_links(page_two) == [INDICATOR]


@pytest.mark.parametrize("query", ["", "?from=", "?from=%3Cscript%3E", "?from=a/b"])
def test_no_back_link_without_a_proper_indicator_code(client_for, query):
    html = client_for(roles.DCS).get(f"{LIST}{query}").content.decode()
    assert _back_links(html) == []


def test_no_back_link_for_someone_who_may_not_open_indicator_pages(client_for):
    html = client_for(roles.AUDITOR).get(f"{LIST}?from=icpc_15wd").content.decode()
    assert _back_links(html) == []


def test_the_count_line_reads_for_labels_that_are_not_verbs(client_for):
    import datetime as dt

    from django.utils import timezone

    from tests.factories.casework import EpisodeFactory

    EpisodeFactory(cohort="looked_after", start_on=timezone.localdate() - dt.timedelta(days=60))
    html = (
        client_for(roles.DCS)
        .get(reverse("casework:indicator-children", kwargs={"selector_code": "cla_visits_reg_28"}))
        .content.decode()
    )
    assert "1 child. Visit overdue: 1. Visits in timescale: 0." in html
    assert re.search(r"\d+ visit overdue", html) is None
