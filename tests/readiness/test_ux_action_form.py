"""The action form: an owner is someone who can open the action and report progress (they are sent
reminders with links to it), the current owner is kept whoever they are, priorities are shortened at
a word with an ellipsis rather than mid-word, and "no indicator" is said in words, not "None"."""

import pytest
from django.urls import reverse

from readiness import roles
from readiness.plans.forms import ActionForm, PlanUpdateForm
from tests.conftest import ROLE_USERNAMES, make_user
from tests.factories.plans import ActionFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def _owner_names(form) -> list[str]:
    return [label for value, label in form.fields["owner"].choices if value]


def test_owners_offered_are_those_who_can_report_progress():
    for role in (roles.PERFORMANCE_MANAGER, roles.DCS, roles.AUDITOR, roles.BOARD_MEMBER):
        make_user(role)
    priority = PriorityFactory()
    names = _owner_names(ActionForm(plan=priority.plan))
    assert ROLE_USERNAMES[roles.PERFORMANCE_MANAGER].title() in names
    assert ROLE_USERNAMES[roles.DCS].title() in names
    assert ROLE_USERNAMES[roles.AUDITOR].title() not in names
    assert ROLE_USERNAMES[roles.BOARD_MEMBER].title() not in names


def test_a_current_owner_without_the_role_is_kept_on_the_change_form(client_for):
    board = make_user(roles.BOARD_MEMBER)
    action = ActionFactory(owner=board)
    body = client_for(roles.PERFORMANCE_MANAGER).get(reverse("readiness:action-update", args=[action.pk]))
    html = body.content.decode()
    assert f'<option value="{board.pk}" selected>' in html


def test_plan_owners_offered_are_those_who_can_open_the_plan():
    make_user(roles.PERFORMANCE_MANAGER)
    board = make_user(roles.BOARD_MEMBER)
    names = _owner_names(PlanUpdateForm())
    assert board.first_name not in names
    assert board.first_name in _owner_names(PlanUpdateForm(initial={"owner": board.pk}))


def test_long_priorities_are_shortened_at_a_word_with_an_ellipsis():
    title = (
        "Improve the quality and oversight of early help so that families get the right support soon enough"
    )
    priority = PriorityFactory(title=title, order=1)
    labels = dict(ActionForm(plan=priority.plan).fields["priority"].choices)
    label = labels[priority.pk]
    assert label.endswith("…")
    shown = label.removeprefix("1. ").removesuffix("…")
    assert title.startswith(shown + " ")  # cut between two words, not inside one
    assert len(label) <= 95


def test_no_indicator_is_said_in_words():
    priority = PriorityFactory()
    choices = dict(ActionForm(plan=priority.plan).fields["indicator_code"].choices)
    assert choices[""] == "No indicator"


def test_evidence_with_neither_link_nor_file_asks_for_one_not_for_not_both(client_for):
    action = ActionFactory()
    url = reverse("readiness:evidence-create", args=[action.pk])
    response = client_for(roles.PERFORMANCE_MANAGER).post(url, {"title": "Minutes", "url": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a link or choose a file" in html
    assert "not both" not in html
    assert 'href="#id_url"' in html  # the error summary links to the field


def test_evidence_with_both_a_link_and_a_file_says_not_both(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = ActionFactory()
    url = reverse("readiness:evidence-create", args=[action.pk])
    upload = SimpleUploadedFile("minutes.txt", b"minutes")
    response = client_for(roles.PERFORMANCE_MANAGER).post(
        url, {"title": "Minutes", "url": "https://intranet.example/minutes", "file": upload}
    )
    assert "Enter a link or choose a file, not both" in response.content.decode()


def test_an_imported_plan_refuses_an_owner_who_cannot_report_progress():
    import io

    from readiness.plans.models import ImprovementPlan
    from readiness.plans.spreadsheets import plan_import

    make_user(roles.PERFORMANCE_MANAGER)
    make_user(roles.BOARD_MEMBER)
    board = ROLE_USERNAMES[roles.BOARD_MEMBER]
    content = f"priority,action,owner,due_date\nImprove early help,Review the offer,{board},30/09/2026\n"
    result = plan_import(handle=io.BytesIO(content.encode()), filename="plan.csv", title="Imported plan")
    assert not result.ok
    shown = [str(problem) for problem in result.problems]
    assert any(s.startswith(f"row 2, column owner: '{board}' cannot own actions") for s in shown), shown
    assert ImprovementPlan.objects.count() == 0
