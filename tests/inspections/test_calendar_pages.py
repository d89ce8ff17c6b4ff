"""The working calendar page: bank holidays by name, council closures and removals, add and remove
with the milestone recompute on commit, plain-English refusals and who may do what."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from freezegun import freeze_time

from inspections import selectors, services
from inspections.models import Milestone, NonWorkingDay
from readiness import roles
from tests.factories.inspections import Ilacs2019Factory, NonWorkingDayFactory

pytestmark = pytest.mark.django_db

PM, DCS, AUD, BM, ADM = (
    roles.PERFORMANCE_MANAGER,
    roles.DCS,
    roles.AUDITOR,
    roles.BOARD_MEMBER,
    roles.ADMINISTRATOR,
)
LIST = reverse("inspections:nonworkingday-list")
NEW = reverse("inspections:nonworkingday-create")


def remove_url(day):
    return reverse("inspections:nonworkingday-delete", kwargs={"day_pk": day.pk})


def add_post(d: dt.date, name="Council closure", kind="closed"):
    return {"kind": kind, "date_0": str(d.day), "date_1": str(d.month), "date_2": str(d.year), "name": name}


def error_summary(page: str) -> str:
    start = page.index("govuk-error-summary")
    return page[start : page.index("</div>", page.index("govuk-error-summary__body", start))]


def action_plan_due(inspection) -> dt.date:
    return Milestone.objects.get(inspection=inspection, code="action_plan").due_on


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------


@freeze_time("2026-11-28")
def test_page_lists_the_next_12_months_of_bank_holidays_by_name(client_for):
    page = client_for(DCS).get(LIST).content.decode()
    holidays = page[page.index("Bank holidays in the next 12 months") :]
    assert "Friday 25 December 2026" in holidays and "Christmas Day" in holidays
    assert "Monday 28 December 2026" in holidays and "Boxing Day (substitute day)" in holidays
    assert "Friday 26 March 2027" in holidays and "Good Friday" in holidays
    assert "Monday 30 August 2027" in holidays and "Summer bank holiday" in holidays
    assert "2025" not in holidays  # nothing before today
    assert "December 2027" not in holidays  # nothing after 12 months
    assert "No council closures" in page  # the empty state


@freeze_time("2026-11-28")
def test_page_lists_closures_and_worked_bank_holidays(client_for):
    NonWorkingDayFactory(date=dt.date(2026, 12, 29), name="Council closure between Christmas and New Year")
    NonWorkingDayFactory(date=dt.date(2027, 5, 3), name="Election count", kind=NonWorkingDay.Kind.WORKING)
    page = client_for(PM).get(LIST).content.decode()
    closures = page[page.index("Council closures") : page.index("Bank holidays the council works")]
    assert "Tuesday 29 December 2026" in closures
    assert "Council closure between Christmas and New Year" in closures
    worked = page[page.index("Bank holidays the council works") : page.index("Bank holidays in the next")]
    assert "Monday 3 May 2027" in worked and "Election count" in worked
    holidays = page[page.index("Bank holidays in the next 12 months") :]
    assert "The council works this day" in holidays


def test_the_inspections_list_links_to_the_calendar(client_for):
    assert LIST in client_for(PM).get(reverse("inspections:inspection-list")).content.decode()
    assert LIST not in client_for(AUD).get(reverse("inspections:inspection-list")).content.decode()


# ---------------------------------------------------------------------------
# Adding and removing, with the recompute on commit
# ---------------------------------------------------------------------------


def test_adding_a_closure_moves_deadlines_on_commit_and_keeps_history(
    client_for, django_capture_on_commit_callbacks
):
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    assert action_plan_due(inspection) == dt.date(2019, 7, 9)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(PM).post(NEW, add_post(dt.date(2019, 6, 4)))
    assert response.status_code == 302 and response["Location"] == LIST
    assert len(callbacks) == 1
    day = NonWorkingDay.objects.get(date=dt.date(2019, 6, 4))
    assert day.name == "Council closure" and day.kind == NonWorkingDay.Kind.CLOSED
    assert day.history.first().history_user == User.objects.get(username="pm")
    assert action_plan_due(inspection) == dt.date(2019, 7, 10)  # one more day skipped


def test_nothing_is_recomputed_before_the_commit(client_for, django_capture_on_commit_callbacks):
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(PM).post(NEW, add_post(dt.date(2019, 6, 4)))
    assert len(callbacks) == 1
    assert action_plan_due(inspection) == dt.date(2019, 7, 9)


def test_removing_a_closure_asks_first_then_moves_deadlines_back_on_commit(
    client_for, django_capture_on_commit_callbacks
):
    inspection = Ilacs2019Factory()
    day = NonWorkingDayFactory(date=dt.date(2019, 6, 4))
    services.milestones_compute(inspection=inspection)
    assert action_plan_due(inspection) == dt.date(2019, 7, 10)
    admin = client_for(ADM)
    confirm = admin.get(remove_url(day))
    assert confirm.status_code == 200
    assert "Are you sure you want to remove Tuesday 4 June 2019?" in confirm.content.decode()
    assert NonWorkingDay.objects.filter(pk=day.pk).exists()  # a GET removes nothing
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin.post(remove_url(day))
    assert response.status_code == 302 and len(callbacks) == 1
    assert not NonWorkingDay.objects.filter(pk=day.pk).exists()
    deleted = NonWorkingDay.history.filter(id=day.pk, history_type="-").get()
    assert deleted.history_user == User.objects.get(username="admin")
    assert action_plan_due(inspection) == dt.date(2019, 7, 9)


def test_working_a_bank_holiday_counts_it_as_a_working_day(client_for, django_capture_on_commit_callbacks):
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(PM).post(
            NEW, add_post(dt.date(2019, 5, 27), name="Worked for the inspection", kind="working")
        )
    assert response.status_code == 302
    assert action_plan_due(inspection) == dt.date(2019, 7, 8)  # Spring bank holiday now counts


# ---------------------------------------------------------------------------
# Refusals in plain English; nothing saved, nothing recomputed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (dt.date(2026, 12, 26), "closed", "Saturday 26 December 2026 is already a non-working day: Saturday"),
        (dt.date(2026, 12, 27), "closed", "Sunday 27 December 2026 is already a non-working day: Sunday"),
        (
            dt.date(2026, 12, 25),
            "closed",
            "Friday 25 December 2026 is already a non-working day: Christmas Day",
        ),
        (dt.date(2026, 12, 29), "working", "Tuesday 29 December 2026 is not a bank holiday"),
    ],
)
def test_a_day_that_is_already_what_you_ask_is_refused(
    client_for, django_capture_on_commit_callbacks, day, kind, message
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(PM).post(NEW, add_post(day, kind=kind))
    assert response.status_code == 200
    assert message in error_summary(response.content.decode())
    assert not NonWorkingDay.objects.exists() and not callbacks


def test_a_day_with_a_local_change_already_is_refused(client_for):
    NonWorkingDayFactory(date=dt.date(2026, 12, 29), name="Council closure")
    response = client_for(PM).post(NEW, add_post(dt.date(2026, 12, 29), name="Again"))
    summary = error_summary(response.content.decode())
    assert "Tuesday 29 December 2026 already has a local change (Council closure)" in summary
    assert NonWorkingDay.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**add_post(dt.date(2026, 12, 29)), "name": "  "}, "Enter the reason"),
        ({**add_post(dt.date(2026, 12, 29)), "date_0": ""}, "The date must include a day"),
        ({**add_post(dt.date(2026, 12, 29)), "date_1": "13"}, "The date must be a real date"),
        ({**add_post(dt.date(2026, 12, 29)), "date_2": "2300"}, "The date must be between 1900 and 2100"),
    ],
)
def test_missing_or_impossible_input_is_refused(client_for, data, message):
    response = client_for(PM).post(NEW, data)
    assert response.status_code == 200
    assert message in error_summary(response.content.decode())
    assert not NonWorkingDay.objects.exists()


def test_remove_is_post_only_and_404_for_an_unknown_day(client_for):
    pm = client_for(PM)
    assert pm.get(reverse("inspections:nonworkingday-delete", kwargs={"day_pk": 999})).status_code == 404
    assert pm.post(reverse("inspections:nonworkingday-delete", kwargs={"day_pk": 999})).status_code == 404


# ---------------------------------------------------------------------------
# Who may do what (the permissions the admin uses for NonWorkingDay)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "view", "change"),
    [
        (PM, 200, True),
        (ADM, 200, True),
        (DCS, 200, False),
        (AUD, 403, False),
        (BM, 403, False),
        (None, 403, False),
    ],
)
def test_permissions_per_role(client_for, role, view, change):
    day = NonWorkingDayFactory(date=dt.date(2026, 12, 29))
    client = client_for(role)
    assert client.get(LIST).status_code == view
    add = client.post(NEW, add_post(dt.date(2026, 12, 30)))
    remove = client.post(remove_url(day))
    if change:
        assert add.status_code == remove.status_code == 302
        assert list(NonWorkingDay.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 30)]
    else:
        assert add.status_code == remove.status_code == 403
        assert list(NonWorkingDay.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 29)]


def test_long_date_reads_like_govuk():
    assert selectors.long_date(dt.date(2026, 12, 25)) == "Friday 25 December 2026"
