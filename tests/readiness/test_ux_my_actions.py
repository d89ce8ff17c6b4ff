"""My actions leaves complete ones out unless asked: its status filter's empty choice says "Not
complete" (it said "Any status" while hiding complete actions), and the download link says "these"
rather than "all"."""

import re

import pytest
from django.urls import reverse

from readiness import roles
from readiness.plans.models import Action
from tests.conftest import make_user
from tests.factories.plans import ActionFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("readiness:my-actions")


def _selected_status(html: str) -> str:
    select = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    first = re.search(r'<option value=""[^>]*>(.*?)</option>', select).group(1)
    return first


def test_the_status_filter_says_what_is_shown_when_nothing_is_chosen(client):
    pm = make_user(roles.PERFORMANCE_MANAGER)
    ActionFactory(owner=pm, description="Open one")
    ActionFactory(owner=pm, description="Done one", status=Action.Status.COMPLETE)
    client.force_login(pm)
    html = client.get(PAGE).content.decode()
    assert _selected_status(html) == "Not complete"
    assert "Open one" in html and "Done one" not in html
    assert "Download these actions" in html and "Download all actions" not in html
    complete = client.get(PAGE, {"status": "complete"}).content.decode()
    assert "Done one" in complete


def test_a_plan_action_list_still_offers_any_status(client_for):
    action = ActionFactory()
    html = (
        client_for(roles.PERFORMANCE_MANAGER)
        .get(reverse("readiness:plan-actions", args=[action.priority.plan.pk]))
        .content.decode()
    )
    assert _selected_status(html) == "Any status"
    assert "Download all actions" in html
