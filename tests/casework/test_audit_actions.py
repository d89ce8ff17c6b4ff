"""Actions for children found by case audits: marked as done, reopened, listed and counted."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import audit_actions as services
from casework.models import CaseAudit, CaseAuditAction
from casework.selectors import audit_action_list_view, sample_progress
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, SampleFactory

pytestmark = pytest.mark.django_db
LIST = reverse("casework:audit-action-list")
# The audits start 90 days ago, so a done date after that is in the past whenever the tests run.
STARTED_ON = timezone.localdate() - dt.timedelta(days=90)
STARTED = timezone.make_aware(dt.datetime.combine(STARTED_ON, dt.time(10)))
DONE_ON = STARTED_ON + dt.timedelta(days=15)
TODAY = timezone.localdate()  # the list pages count overdue against the real date


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _audit(auditor, **kwargs) -> CaseAudit:
    audit = CaseAuditFactory(auditor=auditor, status=CaseAudit.Status.IN_PROGRESS, **kwargs)
    CaseAudit.objects.filter(pk=audit.pk).update(started_at=STARTED, created_at=STARTED)
    audit.refresh_from_db()
    return audit


def _action(audit, due_on=dt.date(2026, 2, 1), text="Visit the child at home", **done) -> CaseAuditAction:
    return CaseAuditAction.objects.create(audit=audit, text=text, owner="Team manager", due_on=due_on, **done)


def _done(action, user, on=DONE_ON, note="Visited; child seen alone"):
    return services.audit_action_complete(action=action, user=user, done_on=on, note=note)


def _errors(excinfo) -> dict | list:
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def _done_form(day: dt.date | None, note: str) -> dict:
    return {
        "done_on_0": str(day.day) if day else "",
        "done_on_1": str(day.month) if day else "",
        "done_on_2": str(day.year) if day else "",
        "note": note,
    }


def _body_rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, flags=re.S)


@pytest.fixture
def auditor():
    return make_user(roles.AUDITOR)


@pytest.fixture
def other_auditor():
    return make_user(roles.AUDITOR, "second_auditor")


@pytest.fixture
def pm():
    return make_user(roles.PERFORMANCE_MANAGER)


# Services --------------------------------------------------------------------------------------


def test_the_auditor_marks_an_action_as_done_and_the_history_names_them(auditor):
    action = _action(_audit(auditor))
    _done(action, auditor)
    action.refresh_from_db()
    assert (action.done_on, action.done_note, action.done_by) == (
        DONE_ON,
        "Visited; child seen alone",
        auditor,
    )
    record = action.history.latest()
    assert record.history_user == auditor
    assert record.history_change_reason == services.MARKED_DONE
    assert record.done_on == DONE_ON


def test_a_moderator_may_mark_another_auditors_action_as_done(auditor, pm):
    action = _done(_action(_audit(auditor)), pm)
    assert action.done_by == pm and action.history.latest().history_user == pm


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.DCS, None])
def test_nobody_else_may_mark_it_as_done(auditor, role):
    someone = make_user(role, "someone")
    action = _action(_audit(auditor))
    with pytest.raises(ValidationError) as excinfo:
        _done(action, someone)
    assert _errors(excinfo) == [services.NOT_YOURS]
    action.refresh_from_db()
    assert action.done_on is None and action.history.count() == 1


def test_the_done_date_cannot_be_in_the_future(auditor):
    action = _action(_audit(auditor))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        _done(action, auditor, on=tomorrow)
    assert _errors(excinfo) == {"done_on": [services.DONE_IN_FUTURE]}


def test_the_done_date_cannot_be_before_the_audit_started(auditor):
    action = _action(_audit(auditor))
    with pytest.raises(ValidationError) as excinfo:
        _done(action, auditor, on=STARTED_ON - dt.timedelta(days=1))
    assert _errors(excinfo) == {
        "done_on": [services.DONE_BEFORE_AUDIT.format(date=services._day(STARTED_ON))]
    }
    _done(action, auditor, on=STARTED_ON)  # the day it started is fine


def test_an_audit_not_started_counts_from_the_day_it_was_created(auditor):
    audit = _audit(auditor)
    CaseAudit.objects.filter(pk=audit.pk).update(
        started_at=None, created_at=STARTED + dt.timedelta(days=10), status=CaseAudit.Status.ASSIGNED
    )
    action = _action(audit)
    created_on = STARTED_ON + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as excinfo:
        _done(action, auditor, on=created_on - dt.timedelta(days=1))
    assert _errors(excinfo) == {
        "done_on": [services.DONE_BEFORE_AUDIT.format(date=services._day(created_on))]
    }


def test_what_was_done_must_be_said_and_the_date_given(auditor):
    action = _action(_audit(auditor))
    with pytest.raises(ValidationError) as excinfo:
        services.audit_action_complete(action=action, user=auditor, done_on=None, note="  ")
    assert _errors(excinfo) == {"done_on": [services.DONE_ON_MISSING], "note": [services.NOTE_MISSING]}


def test_an_action_already_done_cannot_be_done_again(auditor):
    action = _done(_action(_audit(auditor)), auditor)
    with pytest.raises(ValidationError) as excinfo:
        _done(action, auditor, on=DONE_ON + dt.timedelta(days=1))
    assert _errors(excinfo) == [services.ALREADY_DONE.format(date=services._day(DONE_ON))]


def test_reopening_clears_the_done_details_and_keeps_the_reason_in_the_history(auditor, pm):
    action = _done(_action(_audit(auditor)), auditor)
    reason = "The visit was cancelled: the family were away. " * 4  # longer than 100 characters
    services.audit_action_reopen(action=action, user=pm, reason=reason)
    action.refresh_from_db()
    assert (action.done_on, action.done_note, action.done_by) == (None, "", None)
    record = action.history.latest()
    assert record.history_user == pm
    assert record.history_change_reason == services.REOPENED.format(reason=reason.strip())
    assert record.prev_record.done_by == auditor  # who marked it as done is still on record


def test_reopen_refuses_an_open_action_an_empty_reason_and_anybody_else(auditor, other_auditor):
    action = _action(_audit(auditor))
    with pytest.raises(ValidationError) as excinfo:
        services.audit_action_reopen(action=action, user=auditor, reason="Cancelled")
    assert _errors(excinfo) == [services.NOT_DONE]
    _done(action, auditor)
    with pytest.raises(ValidationError) as excinfo:
        services.audit_action_reopen(action=action, user=auditor, reason=" ")
    assert _errors(excinfo) == {"reason": [services.REASON_MISSING]}
    with pytest.raises(ValidationError) as excinfo:
        services.audit_action_reopen(action=action, user=other_auditor, reason="Cancelled")
    assert _errors(excinfo) == [services.NOT_YOURS]
    action.refresh_from_db()
    assert action.done_on is not None


def test_the_database_refuses_a_note_without_a_done_date(auditor):
    action = _action(_audit(auditor))
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseAuditAction.objects.filter(pk=action.pk).update(done_note="Visited")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseAuditAction.objects.filter(pk=action.pk).update(done_on=dt.date(2026, 1, 20))


# The list: scoping, views, counts ----------------------------------------------------------------


@pytest.fixture
def actions(auditor, other_auditor):
    """On `TODAY`: mine are one overdue, one due today, one due later, one done after its due date;
    another auditor's is overdue."""
    mine = _audit(auditor, member__child__child_id="MINE1")
    made = {
        "overdue": _action(mine, due_on=TODAY - dt.timedelta(days=1), text="Overdue visit"),
        "today": _action(mine, due_on=TODAY, text="Due today"),
        "later": _action(mine, due_on=TODAY + dt.timedelta(days=30), text="Due later"),
        "done": _action(mine, due_on=TODAY - dt.timedelta(days=20), text="Done late"),
    }
    made["done"] = _done(made["done"], auditor)
    made["theirs"] = _action(
        _audit(other_auditor, member__child__child_id="THEIRS1"),
        due_on=TODAY - dt.timedelta(days=5),
        text="Their overdue visit",
    )
    return made


def _counts(user, view="all", **kwargs):
    listed, counts = audit_action_list_view(user=user, view=view, today=TODAY, **kwargs)
    return list(listed), {name: count for name, _, count in counts}


def test_an_auditor_sees_only_the_actions_from_their_own_audits(auditor, actions):
    listed, counts = _counts(auditor)
    assert actions["theirs"] not in listed and len(listed) == 4
    assert counts == {"open": 3, "overdue": 1, "done": 1, "all": 4}


def test_a_moderator_sees_every_action(pm, actions):
    listed, counts = _counts(pm)
    assert set(listed) == set(actions.values())
    assert counts == {"open": 4, "overdue": 2, "done": 1, "all": 5}


def test_overdue_means_open_and_past_its_due_date(auditor, actions):
    listed, _ = _counts(auditor, view="overdue")
    assert listed == [actions["overdue"]]  # not the one due today, nor the one done late
    assert actions["overdue"].is_overdue(TODAY) and not actions["today"].is_overdue(TODAY)
    assert not actions["done"].is_overdue(TODAY)


def test_overdue_is_counted_against_the_date_given(auditor):
    audit = _audit(auditor)
    _action(audit, due_on=dt.date(2026, 2, 27))
    _action(audit, due_on=dt.date(2026, 2, 28))
    _action(audit, due_on=dt.date(2026, 3, 1))
    fixed = {
        day: dict(
            (name, n) for name, _, n in audit_action_list_view(user=auditor, view="overdue", today=day)[1]
        )
        for day in (dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 2))
    }
    assert [counts["overdue"] for counts in fixed.values()] == [0, 1, 3]
    assert all(counts["open"] == 3 for counts in fixed.values())


def test_open_actions_come_first_by_due_date(pm, actions):
    listed, _ = _counts(pm)
    assert listed == [actions[k] for k in ("theirs", "overdue", "today", "later", "done")]
    assert _counts(pm, view="done")[0] == [actions["done"]]


def test_the_list_can_be_narrowed_to_one_samples_audits(pm, actions):
    sample = actions["theirs"].audit.member.sample
    listed, counts = _counts(pm, sample=sample)
    assert listed == [actions["theirs"]] and counts["all"] == 1


# The list page -----------------------------------------------------------------------------------


def test_the_page_offers_each_view_with_its_count_and_flags_overdue(auditor, actions):
    html = _client(auditor).get(LIST).content.decode()
    assert 'class="govuk-list app-filter-links"' in html
    for label in ("Open (3)", "Overdue (1)", "Done (1)", "All (4)"):
        assert label in html
    rows = _body_rows(html)
    assert len(rows) == 3  # open by default
    assert "Overdue visit" in rows[0] and "Overdue" in rows[0].split("Overdue visit", 1)[1]
    assert "Their overdue visit" not in html
    assert reverse("casework:audit-action-done", kwargs={"audit_action_pk": actions["overdue"].pk}) in html
    assert reverse("casework:audit-edit", kwargs={"audit_pk": actions["overdue"].audit_id}) in html


def test_done_actions_offer_reopen_and_say_what_was_done(auditor, actions):
    html = _client(auditor).get(LIST, {"show": "done"}).content.decode()
    assert "Visited; child seen alone" in html
    assert reverse("casework:audit-action-reopen", kwargs={"audit_action_pk": actions["done"].pk}) in html
    assert 'aria-current="page">Done (1)' in html


def test_each_view_has_its_own_empty_state(auditor):
    client = _client(auditor)
    headings = {
        "open": "No open actions",
        "overdue": "No overdue actions",
        "done": "No actions done yet",
        "all": "No actions",
    }
    for view, heading in headings.items():
        assert heading in client.get(LIST, {"show": view}).content.decode(), view


def test_an_unknown_view_or_sample_is_ignored(auditor, actions):
    client = _client(auditor)
    html = client.get(LIST, {"show": "nonsense", "sample": "x1"}).content.decode()
    assert 'aria-current="page">Open (3)' in html
    assert "All (4)" in client.get(LIST, {"sample": "999999"}).content.decode()


def test_the_sample_filter_is_kept_by_the_view_links(pm, actions):
    sample = actions["theirs"].audit.member.sample
    html = _client(pm).get(LIST, {"sample": sample.pk}).content.decode()
    assert f"?show=overdue&amp;sample={sample.pk}" in html
    assert "All (1)" in html and sample.title in html


def test_pagination_keeps_the_view(auditor):
    audit = _audit(auditor)
    CaseAuditAction.objects.bulk_create(
        CaseAuditAction(audit=audit, text=f"Action {n}", owner="TM", due_on=TODAY - dt.timedelta(days=1))
        for n in range(51)
    )
    html = _client(auditor).get(LIST, {"show": "overdue"}).content.decode()
    assert "Overdue (51)" in html and "show=overdue&amp;page=2" in html
    page_two = _client(auditor).get(LIST, {"show": "overdue", "page": 2}).content.decode()
    assert len(_body_rows(page_two)) == 1


def test_the_list_page_takes_the_same_queries_however_many_actions(auditor, django_assert_max_num_queries):
    client = _client(auditor)
    audit = _audit(auditor)
    _action(audit)
    client.get(LIST)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(20):
        _action(_audit(auditor), text=f"Action {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_board_members_and_roles_without_permission_are_refused(auditor, actions):
    board = _client(make_user(roles.BOARD_MEMBER))
    action_pk = actions["overdue"].pk
    done = reverse("casework:audit-action-done", kwargs={"audit_action_pk": action_pk})
    reopen = reverse("casework:audit-action-reopen", kwargs={"audit_action_pk": action_pk})
    for url in (LIST, done, reopen):
        assert board.get(url).status_code == 403, url
        assert board.post(url, {"reason": "x", **_done_form(TODAY, "x")}).status_code == 403, url
    dcs = _client(make_user(roles.DCS))
    assert dcs.get(done).status_code == 403 and dcs.get(reopen).status_code == 403


def test_the_audit_list_links_to_the_actions(auditor):
    assert LIST in _client(auditor).get(reverse("casework:audit-list")).content.decode()


# The done form and reopening ---------------------------------------------------------------------


def test_the_done_form_defaults_to_today(auditor):
    action = _action(_audit(auditor))
    url = reverse("casework:audit-action-done", kwargs={"audit_action_pk": action.pk})
    response = _client(auditor).get(url)
    today = timezone.localdate()
    assert response.status_code == 200
    assert response.context["form"]["done_on"].value() == today
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_the_done_form_shows_an_error_summary_for_a_future_date_and_an_empty_note(auditor):
    action = _action(_audit(auditor))
    url = reverse("casework:audit-action-done", kwargs={"audit_action_pk": action.pk})
    client = _client(auditor)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    html = client.post(url, _done_form(tomorrow, "Visited")).content.decode()
    assert "govuk-error-summary" in html and services.DONE_IN_FUTURE in html
    html = client.post(url, _done_form(timezone.localdate(), "")).content.decode()
    assert "govuk-error-summary" in html and "Enter what was done" in html
    assert "<title>Error: Mark the action as done – Action for " in html
    action.refresh_from_db()
    assert action.done_on is None


def test_the_done_form_marks_the_action_as_done(auditor):
    action = _action(_audit(auditor))
    url = reverse("casework:audit-action-done", kwargs={"audit_action_pk": action.pk})
    today = timezone.localdate()
    response = _client(auditor).post(url, _done_form(today, "Visited; child seen alone"), follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}?show=done"
    assert f"Action for {action.audit.child.child_id} marked as done." in response.content.decode()
    action.refresh_from_db()
    assert (action.done_on, action.done_by) == (today, auditor)
    assert action.history.latest().history_user == auditor


def test_another_auditors_action_is_not_found(auditor, other_auditor):
    action = _action(_audit(other_auditor))
    client = _client(auditor)
    for name in ("casework:audit-action-done", "casework:audit-action-reopen"):
        url = reverse(name, kwargs={"audit_action_pk": action.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", **_done_form(TODAY, "x")}).status_code == 404


def test_reopen_asks_for_a_reason_then_reopens(auditor):
    action = _done(_action(_audit(auditor)), auditor)
    url = reverse("casework:audit-action-reopen", kwargs={"audit_action_pk": action.pk})
    client = _client(auditor)
    html = client.get(url).content.decode()
    assert "Are you sure the action is not done?" in html and "Visited; child seen alone" in html
    html = client.post(url, {"reason": ""}).content.decode()
    assert "govuk-error-summary" in html and "Enter why the action is being reopened" in html
    response = client.post(url, {"reason": "The visit was cancelled"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?show=open"
    action.refresh_from_db()
    assert action.done_on is None
    assert action.history.latest().history_change_reason == "Reopened: The visit was cancelled"


# The sample progress page ------------------------------------------------------------------------


def test_the_sample_page_counts_open_and_overdue_actions_and_links_to_them(auditor, other_auditor):
    today = timezone.localdate()
    sample = SampleFactory()
    mine = _audit(auditor, member__sample=sample)
    theirs = _audit(other_auditor, member__sample=sample)
    _action(mine, due_on=today - dt.timedelta(days=1))
    _action(theirs, due_on=today)
    _done(_action(mine, due_on=today - dt.timedelta(days=9)), auditor)
    _action(_audit(auditor), due_on=today - dt.timedelta(days=1))  # another sample's
    progress = sample_progress(sample=sample, today=today)
    assert (progress.actions_open, progress.actions_overdue) == (2, 1)
    html = _client(auditor).get(sample.get_absolute_url()).content.decode()
    assert "Actions for children: 2 open, 1 overdue" in html
    assert f"{LIST}?sample={sample.pk}" in html


def test_the_sample_page_takes_the_same_queries_however_many_actions(pm, auditor, django_assert_num_queries):
    sample = SampleFactory()
    audits = [_audit(auditor, member__sample=sample) for _ in range(3)]
    client = _client(pm)
    client.get(sample.get_absolute_url())  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as none_yet:
        client.get(sample.get_absolute_url())
    for audit in audits:
        for n in range(4):
            action = _action(audit, due_on=timezone.localdate() + dt.timedelta(days=n + 1))
            if n == 0:
                _done(action, auditor)
    with django_assert_num_queries(len(none_yet.captured_queries)):
        response = client.get(sample.get_absolute_url())
    assert "Actions for children: 9 open, 0 overdue" in response.content.decode()


def test_the_audit_pages_show_which_actions_are_done_and_their_history(auditor, pm):
    audit = _audit(auditor)
    done = _action(audit, text="Visit the child at home")
    _action(audit, text="Book the health assessment")
    _done(done, auditor)
    page = (
        _client(auditor).get(reverse("casework:audit-edit", kwargs={"audit_pk": audit.pk})).content.decode()
    )
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    visit = next(item for item in items if "Visit the child at home" in item)
    book = next(item for item in items if "Book the health assessment" in item)
    assert "Done" in visit and "Visited; child seen alone" in visit
    assert "Done" not in book
    # The audit's change history has a row per action, and the marking as done with who did it.
    history = page.split('class="app-change-history"', 1)[1]
    assert "Action: Visit the child at home" in history and "Action: Book the health assessment" in history
    assert "Marked as done" in history
    submitted = _audit(auditor)
    _action(submitted, text="Chase the PEP")
    CaseAudit.objects.filter(pk=submitted.pk).update(status=CaseAudit.Status.SUBMITTED)
    moderate = reverse("casework:audit-moderate", kwargs={"audit_pk": submitted.pk})
    assert "Chase the PEP" in _client(pm).get(moderate).content.decode()
