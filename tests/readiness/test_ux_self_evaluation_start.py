"""With no self-evaluation yet, the page tells each role what it can do: a performance manager gets a
link that opens the add form with "Self-evaluation" already chosen; the DCS, who cannot add one, is
no longer told to "add an inspection of kind 'Self-evaluation'"."""

import re

import pytest
from django.urls import reverse

from readiness import roles

pytestmark = pytest.mark.django_db

PAGE = reverse("readiness:self-evaluation")
ADD = reverse("inspections:inspection-create")


def _checked_kinds(html: str) -> list[str]:
    radios = re.findall(r'<input\s[^>]*name="kind"[^>]*>', html, re.S)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios if "checked" in radio]


def test_a_performance_manager_is_linked_to_the_form_with_the_kind_chosen(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    html = pm.get(PAGE).content.decode()
    assert f'href="{ADD}?kind=self_evaluation"' in html
    assert "of kind" not in html
    form = pm.get(f"{ADD}?kind=self_evaluation").content.decode()
    assert _checked_kinds(form) == ["self_evaluation"]


def test_an_unknown_kind_in_the_link_chooses_nothing(client_for):
    form = client_for(roles.PERFORMANCE_MANAGER).get(f"{ADD}?kind=nonsense").content.decode()
    assert _checked_kinds(form) == []


def test_the_dcs_is_told_who_adds_it_and_gets_no_link_to_a_form_it_cannot_open(client_for):
    html = client_for(roles.DCS).get(PAGE).content.decode()
    assert "A performance manager adds the self-evaluation" in html
    assert ADD not in html
    assert "of kind" not in html
