"""The indicator pages speak to the DCS and performance managers, not to developers: the "How it is
counted" paragraph comes from each source's docstring, so argument names (`as_of`), query counts,
file references and event codes are taken out or put in words; definitions carry no event codes;
a count with no thresholds says so in words, not "None"."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from casework import indicators as casework_indicators
from readiness import roles
from readiness.dashboards.definitions import INDICATORS
from readiness.dashboards.models import Indicator
from readiness.dashboards.selectors.indicator_detail import plain_rule, source_rule

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
DEVELOPER_WORDS = ("`", "as_of", "look_back_days", "quer", ".md", "()", "signature")


@pytest.mark.parametrize("definition", INDICATORS, ids=[d["code"] for d in INDICATORS])
def test_how_it_is_counted_is_plain_english(definition):
    rule = source_rule(definition["source"])
    assert rule, "every source describes its rule"
    assert [word for word in DEVELOPER_WORDS if word in rule] == []
    assert SNAKE_CASE.findall(rule) == []


def test_plain_rule_keeps_the_sentences_for_readers():
    doc = (
        "Children looked after on `as_of` who are not overdue a visit (two queries).\n\n"
        "The latest `pre_proceedings_start` decides (see domain.md §6). Two queries.\n"
        "`look_back_days` is accepted for a uniform signature and unused. "
        "They are the ones `missed()` returns."
    )
    assert plain_rule(doc) == (
        "Children looked after on the day who are not overdue a visit. "
        "The latest pre-proceedings start decides."
    )


@pytest.mark.parametrize("definition", INDICATORS, ids=[d["code"] for d in INDICATORS])
def test_definitions_show_no_event_codes(definition):
    assert SNAKE_CASE.findall(definition.get("notes", "")) == []
    assert SNAKE_CASE.findall(definition.get("timescale", "")) == []


@pytest.mark.django_db
def test_the_children_page_rule_names_no_other_indicator_by_code():
    import datetime as dt

    result = casework_indicators.pep_within_10_days(as_of=dt.date(2026, 11, 27))
    assert SNAKE_CASE.findall(result.rule) == []


@pytest.mark.django_db
def test_a_count_without_thresholds_says_so_in_words(client_for):
    cache.clear()
    Indicator.objects.create(
        code="open_looked_after",
        name="Children in care",
        timescale="",
        unit=Indicator.Unit.COUNT,
        polarity=Indicator.Polarity.LOWER_IS_BETTER,
        source="readiness.dashboards.sources.open_looked_after",
        area_code="children_in_care",
    )
    html = (
        client_for(roles.DCS).get(reverse("readiness:indicator-detail", args=["open_looked_after"])).content
    )
    definition = re.search(r'data-testid="definition">(.*?)</dl>', html.decode(), re.S).group(1)
    assert ">None" not in definition
    assert "No timescale: this is a count for context" in definition
    assert definition.count("No threshold<") == 2
