"""The morning case audit e-mail's third part: the open actions for children, found by the person's
own audits, that are past their due date. Sent once a working day while they stay open."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from casework.models import CaseAudit, CaseAuditAction
from readiness import roles
from readiness.audit_reminders import services
from readiness.audit_reminders.models import AuditReminderSent
from readiness.audit_reminders.services import case_audits_subject
from readiness.dashboards.models import NotificationPreference
from tests.conftest import make_user
from tests.readiness.test_case_audit_reminders import (
    GOOD_FRIDAY,
    THURSDAY,
    _with_email,
    audit,
    submitted,
)

pytestmark = pytest.mark.django_db

# Thursday 17 April 2025; Good Friday and Easter Monday are bank holidays, so the next working day
# is Tuesday 22 April.
NEXT_WORKING_DAY = dt.date(2025, 4, 22)
A_WEEK_AGO = dt.date(2025, 4, 10)  # 5 working days before THURSDAY
HEADING = "OVERDUE ACTIONS FOR CHILDREN"
SECTION = "ACTIONS FOR CHILDREN THAT ARE OVERDUE"
KIND = AuditReminderSent.Kind.ACTIONS_OVERDUE


@pytest.fixture
def auditor():
    return _with_email(make_user(roles.AUDITOR, "ash"), "ash@northmoor.example")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(today=THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return services.audit_reminders_send(today=today)

    return _run


def finished(auditor, child_id):
    """A moderated audit: nothing about the audit itself is reminded, only its actions."""
    return audit(auditor, dt.date(2025, 3, 1), child_id, status=CaseAudit.Status.MODERATED)


def action(audit_, due_on=A_WEEK_AGO, text="Visit the child at home", owner="Team manager", **kwargs):
    return CaseAuditAction.objects.create(audit=audit_, text=text, owner=owner, due_on=due_on, **kwargs)


def done(audit_, due_on=A_WEEK_AGO, text="Already done"):
    return action(
        audit_, due_on, text, done_on=dt.date(2025, 4, 11), done_note="Done", done_by=audit_.auditor
    )


def ash_messages():
    return [message for message in mail.outbox if message.to == ["ash@northmoor.example"]]


def test_an_email_with_only_overdue_actions_lists_each_with_its_child_owner_and_due_date(auditor, run):
    overdue = action(finished(auditor, "C-ACT"), owner="Sam Patel, team manager")

    result = run()

    assert result.sent_to == ["ash"]
    assert result.actions_reminded == 1
    assert result.audits_reminded == 0
    [message] = mail.outbox
    assert message.subject == "Case audits: 1 overdue action for a child"
    body = message.body
    done_url = reverse("casework:audit-action-done", kwargs={"audit_action_pk": overdue.pk})
    assert (
        "- Child ID: C-ACT\n"
        "  Action: Visit the child at home\n"
        "  Owner: Sam Patel, team manager\n"
        "  Due: Thursday 10 April 2025 (overdue by 5 working days)\n"
        f"  Mark it as done: {done_url}\n"
    ) in body
    assert "1 action for children found by your audits is past its due date" in body
    assert f"{HEADING} (1)" in body
    assert f"{reverse('casework:audit-action-list')}?show=overdue" in body
    # One part only: no opening list of parts and no section headings.
    assert "This e-mail has" not in body and SECTION not in body and "YOUR AUDITS" not in body
    assert "because case audits are assigned to you in" in body
    assert reverse("readiness:notification-preferences") in body
    assert AuditReminderSent.objects.filter(kind=KIND).values_list("audit", "date", "user").get() == (
        overdue.audit_id,
        THURSDAY,
        auditor.pk,
    )


def test_only_open_overdue_actions_on_the_persons_own_audits_are_listed(auditor, run):
    own = finished(auditor, "C-OWN")
    action(own, text="Overdue and open")
    action(own, due_on=THURSDAY, text="Due today")
    action(own, due_on=dt.date(2025, 5, 1), text="Due next month")
    done(own, text="Overdue but done")
    done(finished(auditor, "C-ALL-DONE"))
    bea = _with_email(make_user(roles.AUDITOR, "bea"), "bea@northmoor.example")
    action(finished(bea, "C-BEA"), text="Bea's action")

    result = run()

    assert sorted(result.sent_to) == ["ash", "bea"]
    [ash] = ash_messages()
    assert "Overdue and open" in ash.body
    for absent in ("Due today", "Due next month", "Overdue but done", "C-ALL-DONE", "C-BEA", "Bea's action"):
        assert absent not in ash.body, absent
    assert ash.subject == "Case audits: 1 overdue action for a child"
    [bea_message] = [m for m in mail.outbox if m.to == ["bea@northmoor.example"]]
    assert "C-BEA" in bea_message.body and "C-OWN" not in bea_message.body


def test_a_moderator_is_not_sent_other_auditors_overdue_actions(auditor, run):
    _with_email(make_user(roles.PERFORMANCE_MANAGER, "priya"), "priya@northmoor.example")
    action(finished(auditor, "C-ASH"))

    result = run()

    assert result.sent_to == ["ash"]


def test_several_actions_on_several_audits_are_one_line_per_audit_and_one_email(auditor, run):
    first = finished(auditor, "C-ONE")
    second = audit(auditor, dt.date(2025, 6, 1), "C-TWO")  # in progress, not due: no "Your audits"
    action(first, due_on=dt.date(2025, 4, 15), text="Later action")
    action(second, due_on=dt.date(2025, 4, 1), text="Oldest action")
    action(first, due_on=dt.date(2025, 4, 2), text="Earlier action")

    result = run()

    assert result.actions_reminded == 3
    [message] = mail.outbox
    assert message.subject == "Case audits: 3 overdue actions for children"
    body = message.body
    assert "3 actions for children found by your audits are past their due date" in body
    assert f"{HEADING} (3)" in body
    # The audit with the oldest overdue action first; within an audit, oldest first.
    assert body.index("Oldest action") < body.index("Earlier action") < body.index("Later action")
    assert set(AuditReminderSent.objects.values_list("audit", "kind")) == {
        (first.pk, KIND),
        (second.pk, KIND),
    }


def test_the_action_text_is_trimmed_to_one_line_of_about_80_characters(auditor, run):
    long_text = "Arrange a review of the child's plan\nwith the independent reviewing officer " + "x" * 200
    action(finished(auditor, "C-LONG"), text=long_text)

    run()

    body = mail.outbox[0].body
    [line] = [text for text in body.splitlines() if text.startswith("  Action: ")]
    shown = line.removeprefix("  Action: ")
    assert len(shown) == services.ACTION_TEXT_CHARS
    assert shown.startswith("Arrange a review of the child's plan with the independent")
    assert shown.endswith("…")
    assert "x" * 100 not in body


def test_children_appear_by_their_id_only(auditor, run):
    overdue = action(finished(auditor, "C-PRIVATE"))

    run()

    body = mail.outbox[0].body
    assert "Child ID: C-PRIVATE" in body
    assert str(overdue.audit.child.birth_year) not in body


def test_not_sent_twice_the_same_day(auditor, run):
    action(finished(auditor, "C-ACT"))

    first = run()
    second = run()

    assert first.sent_to == ["ash"]
    assert second.sent_to == [] and second.already_sent == 1 and second.actions_reminded == 0
    assert len(mail.outbox) == 1
    assert AuditReminderSent.objects.filter(kind=KIND).count() == 1


def test_sent_again_the_next_working_day_while_still_overdue_and_not_after_it_is_done(auditor, run):
    overdue = action(finished(auditor, "C-ACT"))

    run()
    assert run(today=GOOD_FRIDAY).sent_to == []  # a bank holiday: nothing goes
    again = run(today=NEXT_WORKING_DAY)

    assert again.sent_to == ["ash"]
    assert len(mail.outbox) == 2
    assert "Due: Thursday 10 April 2025 (overdue by 6 working days)" in mail.outbox[1].body
    assert sorted(AuditReminderSent.objects.filter(kind=KIND).values_list("date", flat=True)) == [
        THURSDAY,
        NEXT_WORKING_DAY,
    ]

    CaseAuditAction.objects.filter(pk=overdue.pk).update(
        done_on=NEXT_WORKING_DAY, done_note="Visited", done_by=auditor
    )
    assert run(today=dt.date(2025, 4, 23)).sent_to == []
    assert len(mail.outbox) == 2


def test_turning_off_case_audit_reminders_stops_the_actions_part(auditor, run):
    NotificationPreference.objects.create(user=auditor, case_audit_reminders=False)
    action(finished(auditor, "C-ACT"))

    result = run()

    assert result.opted_out == ["ash"] and result.sent_to == []
    assert mail.outbox == [] and not AuditReminderSent.objects.exists()


@pytest.mark.parametrize("change", ["inactive", "no address"])
def test_inactive_or_addressless_auditors_are_skipped_and_counted(auditor, run, change):
    if change == "inactive":
        auditor.is_active = False
    else:
        auditor.email = ""
    auditor.save()
    action(finished(auditor, "C-ACT"))

    result = run()

    assert result.no_email == ["ash"]
    assert mail.outbox == [] and not AuditReminderSent.objects.exists()


def test_all_three_parts_in_one_email_for_someone_who_audits_and_moderates(run):
    priya = _with_email(make_user(roles.PERFORMANCE_MANAGER, "priya"), "priya@northmoor.example")
    other = make_user(roles.AUDITOR, "ash")
    audit(priya, A_WEEK_AGO, "C-OWN-LATE")
    submitted(other, dt.date(2025, 4, 14), "C-TO-MODERATE")
    action(finished(priya, "C-OWN-ACTION"), text="Overdue action for the child")

    result = run()

    assert result.audits_reminded == 2 and result.actions_reminded == 1
    [message] = mail.outbox
    assert message.subject == (
        "Case audits: 1 audit overdue, 1 audit awaiting moderation and 1 overdue action for a child"
    )
    body = message.body
    assert body.count("Good morning") == 1
    assert (
        "This e-mail has three parts: case audits assigned to you, submitted case audits waiting for "
        "your moderation, and actions for children from your audits that are overdue."
    ) in body
    assert body.index("YOUR AUDITS") < body.index("C-OWN-LATE")
    assert body.index("C-OWN-LATE") < body.index("WAITING FOR YOUR MODERATION") < body.index("C-TO-MODERATE")
    assert body.index("C-TO-MODERATE") < body.index(SECTION) < body.index("C-OWN-ACTION")
    assert "case audits are assigned to you and you can moderate case audits" in body


def test_own_audits_and_actions_make_a_two_part_email(auditor, run):
    audit(auditor, A_WEEK_AGO, "C-LATE")
    action(finished(auditor, "C-ACT"))

    run()

    [message] = mail.outbox
    assert message.subject == "Case audits: 1 audit overdue and 1 overdue action for a child"
    assert (
        "This e-mail has two parts: case audits assigned to you, and actions for children from your "
        "audits that are overdue."
    ) in message.body
    assert "YOUR AUDITS" in message.body and SECTION in message.body
    assert "WAITING FOR YOUR MODERATION" not in message.body


def test_subject_wording_with_overdue_actions():
    assert case_audits_subject(actions=1) == "Case audits: 1 overdue action for a child"
    assert case_audits_subject(actions=4) == "Case audits: 4 overdue actions for children"
    assert case_audits_subject(overdue=2, due_soon=1, actions=3) == (
        "Case audits: 2 audits overdue, 1 due within 5 working days and 3 overdue actions for children"
    )
    assert case_audits_subject(waiting=2, actions=1) == (
        "Case audits: 2 audits awaiting moderation and 1 overdue action for a child"
    )
    # Unchanged without actions.
    assert (
        case_audits_subject(overdue=1, waiting=1)
        == "Case audits: 1 audit overdue and 1 audit awaiting moderation"
    )


def test_the_new_kind_answers_to_the_case_audit_reminders_choice():
    assert services.KIND_PREFERENCES[KIND] == services.PREFERENCE == "case_audit_reminders"
