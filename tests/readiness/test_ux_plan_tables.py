"""Plan tables say "No update yet" for an action without a progress update, not "None"."""

import re

import pytest
from django.urls import reverse

from readiness import roles
from tests.factories.plans import ActionFactory

pytestmark = pytest.mark.django_db


def _cells(html: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r'<td class="govuk-table__cell">(.*?)</td>', html, re.S)]


@pytest.mark.parametrize("page", ["plan-detail", "plan-actions"])
def test_an_action_without_updates_says_no_update_yet(client_for, page):
    action = ActionFactory(description="Hold a workshop")
    url = reverse(f"readiness:{page}", args=[action.priority.plan.pk])
    cells = _cells(client_for(roles.PERFORMANCE_MANAGER).get(url).content.decode())
    assert "No update yet" in cells
    assert "None" not in cells
