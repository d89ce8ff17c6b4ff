"""The audit list: work to do first, a view per stage with its count, scoped to what the user may open."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseAudit
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory

pytestmark = pytest.mark.django_db
S = CaseAudit.Status
URL = reverse("casework:audit-list")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _child_ids(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r">\s*([A-Z0-9]+)\s*</a></td>", body)


@pytest.fixture
def audits():
    auditor = make_user(roles.AUDITOR)
    day = dt.date(2026, 12, 1)
    made = {}
    # Created in the reverse of the order the list should show them.
    for code, status, due in [
        ("SHARED1", S.SHARED, day),
        ("MODER1", S.MODERATED, day),
        ("SUBMIT1", S.SUBMITTED, day),
        ("ASSIGN2", S.ASSIGNED, day + dt.timedelta(days=7)),
        ("ASSIGN1", S.ASSIGNED, day),
        ("INPROG1", S.IN_PROGRESS, day + dt.timedelta(days=14)),
    ]:
        shared_at = timezone.now() if status == S.SHARED else None
        made[code] = CaseAuditFactory(
            auditor=auditor, status=status, due_on=due, shared_at=shared_at, member__child__child_id=code
        )
    other = CaseAuditFactory(
        auditor=make_user(roles.AUDITOR, "second_auditor"),
        status=S.ASSIGNED,
        due_on=day,
        member__child__child_id="OTHER1",
    )
    return auditor, made, other


def test_work_to_do_comes_first_then_waiting_then_finished(audits):
    auditor, _, _ = audits
    html = _client(auditor).get(URL).content.decode()
    assert _child_ids(html) == ["INPROG1", "ASSIGN1", "ASSIGN2", "SUBMIT1", "MODER1", "SHARED1"]


def test_each_view_lists_its_stage_and_every_count_is_shown(audits):
    auditor, _, _ = audits
    client = _client(auditor)
    html = client.get(URL).content.decode()
    for label in ["To do (3)", "Waiting for moderation (1)", "Moderated or shared (2)", "All (6)"]:
        assert label in html
    assert _child_ids(client.get(URL, {"show": "to-do"}).content.decode()) == [
        "INPROG1",
        "ASSIGN1",
        "ASSIGN2",
    ]
    assert _child_ids(client.get(URL, {"show": "to-moderate"}).content.decode()) == ["SUBMIT1"]
    done = client.get(URL, {"show": "done"}).content.decode()
    assert _child_ids(done) == ["MODER1", "SHARED1"]
    assert 'aria-current="page">Moderated or shared (2)' in done


def test_an_auditor_never_sees_or_counts_another_auditors_audit(audits):
    auditor, _, _ = audits
    for show in ["all", "to-do"]:
        html = _client(auditor).get(URL, {"show": show}).content.decode()
        assert "OTHER1" not in html
    assert "To do (3)" in html


def test_a_moderator_sees_every_audit_in_the_counts(audits):
    moderator = make_user(roles.PERFORMANCE_MANAGER)
    html = _client(moderator).get(URL, {"show": "to-do"}).content.decode()
    assert "To do (4)" in html and "All (7)" in html
    assert "OTHER1" in html


def test_an_unknown_view_shows_everything_and_an_empty_stage_says_so(audits):
    auditor, made, _ = audits
    client = _client(auditor)
    assert len(_child_ids(client.get(URL, {"show": "nonsense"}).content.decode())) == 6
    CaseAudit.objects.filter(status=S.SUBMITTED).delete()
    html = client.get(URL, {"show": "to-moderate"}).content.decode()
    assert "No audit is at this stage" in html


def test_pages_keep_the_chosen_view(audits):
    auditor, _, _ = audits
    for n in range(55):
        CaseAuditFactory(auditor=auditor, status=S.ASSIGNED, member__child__child_id=f"BULK{n:03d}")
    html = _client(auditor).get(URL, {"show": "to-do"}).content.decode()
    assert "?show=to-do&amp;page=2" in html
    second = _client(auditor).get(URL, {"show": "to-do", "page": 2}).content.decode()
    assert "SUBMIT1" not in second and "SHARED1" not in second
