"""Mark a milestone done (date done, default today, not in the future) and undo it after confirming."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from inspections import services
from inspections.models import Milestone
from readiness import roles
from tests.factories.inspections import Ilacs2019Factory, MilestoneFactory

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)
TODAY = dt.date(2019, 6, 12)


def url(name, milestone, inspection=None):
    inspection_pk = (inspection or milestone.inspection).pk
    return reverse(
        f"inspections:{name}", kwargs={"inspection_pk": inspection_pk, "milestone_pk": milestone.pk}
    )


def detail(milestone):
    return reverse("inspections:inspection-detail", kwargs={"inspection_pk": milestone.inspection_id})


def date_fields(d):
    return {"done_on_0": str(d.day), "done_on_1": str(d.month), "done_on_2": str(d.year)}


@pytest.fixture
def milestone():
    return MilestoneFactory(
        inspection=Ilacs2019Factory(), name="Action plan sent", due_on=dt.date(2019, 7, 9)
    )


# ---------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------


def test_mark_done_refuses_a_date_after_today(milestone):
    with pytest.raises(ValidationError) as caught:
        services.milestone_mark_done(milestone=milestone, done_on=TODAY + dt.timedelta(days=1), today=TODAY)
    assert caught.value.message_dict == {"done_on": [services.MILESTONE_DONE_IN_FUTURE]}
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_mark_done_and_undo_are_in_history_with_the_user_and_what_happened(milestone):
    pm = User.objects.create_user("performance")
    services.milestone_mark_done(milestone=milestone, done_on=TODAY, user=pm, today=TODAY)
    services.milestone_mark_done(milestone=milestone, done_on=TODAY, user=pm, today=TODAY)  # no-op
    services.milestone_mark_done(milestone=milestone, done_on=None, user=pm, today=TODAY)
    rows = list(milestone.history.order_by("history_date", "history_id"))
    assert [(r.done_on, r.history_change_reason) for r in rows[1:]] == [
        (TODAY, "Marked done on Wed 12 Jun 2019"),
        (None, services.MILESTONE_MARKED_NOT_DONE),
    ]
    assert {r.history_user for r in rows[1:]} == {pm}


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@freeze_time("2019-06-12 10:00")
def test_the_form_defaults_to_today_and_saves_the_date_done(client_for, milestone):
    pm = client_for(PM)
    page = pm.get(url("milestone-done", milestone)).content.decode()
    assert "When was ‘Action plan sent’ done?" in page
    for part, value in (("0", "12"), ("1", "6"), ("2", "2019")):
        assert f'name="done_on_{part}" value="{value}"' in page
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count("<form") == 1 and main.count('name="csrfmiddlewaretoken"') == 1  # none nested

    response = pm.post(url("milestone-done", milestone), date_fields(dt.date(2019, 6, 10)), follow=True)
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2019, 6, 10)
    assert response.redirect_chain[-1][0].startswith(detail(milestone))
    page = response.content.decode()
    assert "&#x27;Action plan sent&#x27; marked as done on 10 June 2019" in page
    assert "Done on 10 Jun 2019" in page
    assert "Change when it was done" in page
    record = milestone.history.order_by("-history_id").first()  # frozen clock: same dates
    assert record.history_user.groups.filter(name=PM).exists()


@freeze_time("2019-06-12 10:00")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date it was done"),
        (date_fields(dt.date(2019, 6, 13)), "The date it was done must be today or in the past"),
        (
            {"done_on_0": "31", "done_on_1": "2", "done_on_2": "2019"},
            "The date it was done must be a real date",
        ),
        (
            {"done_on_0": "3", "done_on_1": "", "done_on_2": "2019"},
            "The date it was done must include a month",
        ),
    ],
)
def test_bad_dates_are_named_in_the_error_summary_and_at_the_field(client_for, milestone, data, message):
    response = client_for(PM).post(url("milestone-done", milestone), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_done_on' in page
    assert page.count(message) >= 2  # in the summary and next to the field
    assert "<title>Error: " in page
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_detail_page_offers_mark_as_done_only_to_those_who_may(client_for, milestone):
    assert "Mark as done" in client_for(PM).get(detail(milestone)).content.decode()
    page = client_for(DCS).get(detail(milestone)).content.decode()
    assert "Action plan sent" in page and "Mark as done" not in page


def test_undo_asks_first_and_then_removes_the_date(client_for, milestone):
    services.milestone_mark_done(milestone=milestone, done_on=dt.date(2019, 6, 1))
    pm = client_for(PM)
    assert "Mark as not done" in pm.get(url("milestone-done", milestone)).content.decode()
    confirm = pm.get(url("milestone-undone", milestone)).content.decode()
    assert "Are you sure ‘Action plan sent’ is not done?" in confirm
    assert "recorded as done on 1 June 2019" in confirm
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2019, 6, 1)  # GET changes nothing

    response = pm.post(url("milestone-undone", milestone), follow=True)
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert "&#x27;Action plan sent&#x27; is no longer marked as done" in response.content.decode()
    latest = milestone.history.order_by("-history_id").first()
    assert latest.history_change_reason == services.MILESTONE_MARKED_NOT_DONE
    assert latest.history_user is not None


def test_undo_of_a_milestone_not_done_goes_back_to_the_inspection(client_for, milestone):
    response = client_for(PM).get(url("milestone-undone", milestone))
    assert response.status_code == 302 and response["Location"].startswith(detail(milestone))


@pytest.mark.parametrize("role", [DCS, AUD, BM, None])
def test_roles_without_change_permission_are_refused(client_for, milestone, role):
    services.milestone_mark_done(milestone=milestone, done_on=dt.date(2019, 6, 1))
    other = client_for(role)
    for name in ("milestone-done", "milestone-undone"):
        assert other.get(url(name, milestone)).status_code == 403, name
    assert other.post(url("milestone-done", milestone), date_fields(dt.date(2019, 6, 2))).status_code == 403
    assert other.post(url("milestone-undone", milestone)).status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2019, 6, 1)


def test_administrator_may_mark_done(client_for, milestone):
    response = client_for(ADM).post(url("milestone-done", milestone), date_fields(dt.date(2019, 6, 1)))
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).done_on == dt.date(2019, 6, 1)


def test_a_milestone_of_another_inspection_is_404(client_for, milestone):
    elsewhere = Ilacs2019Factory()
    pm = client_for(PM)
    assert pm.get(url("milestone-done", milestone, inspection=elsewhere)).status_code == 404
    assert (
        pm.post(
            url("milestone-done", milestone, inspection=elsewhere), date_fields(dt.date(2019, 6, 1))
        ).status_code
        == 404
    )
    assert pm.post(url("milestone-undone", milestone, inspection=elsewhere)).status_code == 404
