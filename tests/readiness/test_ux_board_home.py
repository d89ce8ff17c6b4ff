"""The board's plan progress table: the statuses add up to "All actions", and overdue actions (also
counted in their status) come after the total as "Of which overdue" instead of among the statuses,
where the rows summed to more than the total; the note on "c" shows only when a "c" is shown."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from readiness import roles
from tests.factories.plans import ActionFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _rows(html: str) -> list[tuple[str, str]]:
    table = html.split('data-testid="board-rag"')[1].split("</table>")[0]
    return [
        (row.split("</th>")[0].split(">")[-1], row.split('numeric">')[1].split("<")[0])
        for row in table.split('<tr class="govuk-table__row">')
        if 'numeric">' in row and "</th>" in row
    ]


def test_statuses_sum_to_the_total_and_overdue_is_shown_apart(client_for):
    priority = PriorityFactory()
    today = timezone.localdate()
    for n in range(6):
        ActionFactory(priority=priority, due_on=today - dt.timedelta(days=1 + n))
    for _ in range(7):
        ActionFactory(priority=priority, due_on=today + dt.timedelta(days=120))
    html = client_for(roles.BOARD_MEMBER).get(reverse("readiness:board-home")).content.decode()
    rows = _rows(html)
    labels = [label for label, _ in rows]
    assert labels[-2:] == ["All actions", "Of which overdue"]
    assert "Overdue" not in labels
    statuses = rows[:-2]
    assert sum(int(count) for _, count in statuses if count.isdigit()) == int(dict(rows)["All actions"]) == 13
    assert dict(rows)["Of which overdue"] == "6"
    assert 'data-testid="suppressed-note"' not in html


def test_the_note_on_c_shows_when_a_small_number_is_hidden(client_for):
    priority = PriorityFactory()
    ActionFactory(priority=priority, due_on=timezone.localdate() - dt.timedelta(days=3))
    for _ in range(7):
        ActionFactory(priority=priority, due_on=timezone.localdate() + dt.timedelta(days=120))
    html = client_for(roles.BOARD_MEMBER).get(reverse("readiness:board-home")).content.decode()
    assert dict(_rows(html))["Of which overdue"] == "c"
    assert 'data-testid="suppressed-note"' in html
