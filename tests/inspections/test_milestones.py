"""Milestones: computed from the framework's rules with the working-day calendar, explained,
recomputed on commit when an anchor date or the calendar changes, overridable with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections import services
from inspections.models import Milestone, NonWorkingDay
from inspections.models.inspections import OVERRIDE_NEEDS_REASON
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, framework

pytestmark = pytest.mark.django_db

D = dt.date
SEED_PLAN_EXPLANATION = (
    "70 working days after final report received on Wed 27 Mar 2019 — skips Good Friday 19 Apr, "
    "Easter Monday 22 Apr, Early May bank holiday 6 May, Spring bank holiday 27 May"
)


def by_code(inspection) -> dict[str, Milestone]:
    return {m.code: m for m in Milestone.objects.filter(inspection=inspection)}


def test_the_seed_chain_gives_the_improvement_plan_date_with_its_explanation():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    plan = by_code(inspection)["action_plan"]
    assert plan.due_on == D(2019, 7, 9)
    assert plan.explanation == SEED_PLAN_EXPLANATION
    assert plan.status == Milestone.Status.STATUTORY and plan.verb == "due"
    assert plan.rule.code == "action_plan" and plan.computed_at is not None
    assert by_code(inspection)["la_publishes_report"].due_on == D(2019, 5, 13)


def test_only_rules_whose_anchor_date_is_set_give_milestones():
    inspection = InspectionFactory(
        framework=framework("ilacs-2018"), onsite_start_on=D(2019, 2, 18), onsite_end_on=D(2019, 3, 1)
    )
    services.milestones_compute(inspection=inspection)
    # publication is anchored on the end of on-site; next_inspection_window needs an overall grade.
    assert set(by_code(inspection)) == {"publication"}


def test_observed_milestones_are_flagged_typically_not_due():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    publication = by_code(inspection)["publication"]
    assert publication.status == Milestone.Status.OBSERVED
    assert publication.is_observed and publication.verb == "typically"
    assert publication.due_on == D(2019, 4, 1)  # 21 working days after Fri 1 Mar 2019
    assert str(publication) == "Report published by Ofsted: typically 1 Apr 2019"


def test_computing_twice_writes_nothing_the_second_time():
    inspection = Ilacs2019Factory()
    services.milestones_compute(inspection=inspection)
    before = Milestone.history.count()
    services.milestones_compute(inspection=inspection)
    assert Milestone.history.count() == before


def seed_inspection_via_service(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.inspection_create(
            framework=framework("ilacs-2018"),
            title="ILACS standard inspection, February 2019",
            onsite_start_on=D(2019, 2, 18),
            onsite_end_on=D(2019, 3, 1),
            final_report_received_on=D(2019, 3, 27),
        )


def test_creating_an_inspection_computes_its_milestones_on_commit(django_capture_on_commit_callbacks):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    assert by_code(inspection)["action_plan"].due_on == D(2019, 7, 9)


def test_changing_an_anchor_date_recomputes_and_history_shows_the_move(django_capture_on_commit_callbacks):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.inspection_update(inspection=inspection, data={"final_report_received_on": D(2019, 3, 28)})
    assert len(callbacks) == 1
    plan = by_code(inspection)["action_plan"]
    assert plan.due_on == D(2019, 7, 10)
    assert "after final report received on Thu 28 Mar 2019" in plan.explanation
    moves = [(h.due_on, h.history_type) for h in plan.history.order_by("history_id")]
    assert moves == [(D(2019, 7, 9), "+"), (D(2019, 7, 10), "~")]
    assert plan.history.first().history_change_reason == services.MILESTONE_RECOMPUTED


def test_changing_a_field_that_is_not_a_date_enqueues_nothing(django_capture_on_commit_callbacks):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.inspection_update(inspection=inspection, data={"lead_inspector": "Sam Okafor"})
    assert callbacks == []


def test_a_closure_inside_the_window_moves_the_date_and_removing_it_moves_it_back(
    django_capture_on_commit_callbacks,
):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        closure = services.non_working_day_add(date=D(2019, 6, 3), name="Council closure")
    plan = by_code(inspection)["action_plan"]
    assert plan.due_on == D(2019, 7, 10)
    assert plan.explanation.endswith("Spring bank holiday 27 May, Council closure 3 Jun")
    assert [h.due_on for h in plan.history.order_by("history_id")] == [D(2019, 7, 9), D(2019, 7, 10)]
    assert by_code(inspection)["publication"].due_on == D(2019, 4, 1)  # before the closure: unmoved

    with django_capture_on_commit_callbacks(execute=True):
        services.non_working_day_remove(non_working_day=closure)
    assert by_code(inspection)["action_plan"].due_on == D(2019, 7, 9)
    assert not NonWorkingDay.objects.exists()


def test_an_override_needs_a_reason_and_survives_recompute(django_capture_on_commit_callbacks):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    plan = by_code(inspection)["action_plan"]
    with pytest.raises(ValidationError) as exc:
        services.milestone_override(milestone=plan, due_on=D(2019, 7, 1), reason="  ")
    assert exc.value.message_dict == {"override_reason": [OVERRIDE_NEEDS_REASON]}

    services.milestone_override(milestone=plan, due_on=D(2019, 7, 1), reason="Cabinet meets on 1 July")
    with django_capture_on_commit_callbacks(execute=True):
        services.non_working_day_add(date=D(2019, 6, 3), name="Council closure")
    plan.refresh_from_db()
    assert plan.override_due_on == D(2019, 7, 1)
    assert plan.override_reason == "Cabinet meets on 1 July"
    assert plan.due_on == D(2019, 7, 10)  # the computed date still follows the calendar
    assert plan.effective_due_on == D(2019, 7, 1)
    assert plan.history.filter(history_change_reason="Cabinet meets on 1 July").exists()

    services.milestone_override(milestone=plan, due_on=None, reason="Back to the statutory date")
    plan.refresh_from_db()
    assert not plan.is_overridden and plan.effective_due_on == D(2019, 7, 10)


def test_a_milestone_whose_anchor_is_cleared_is_removed_unless_overridden(
    django_capture_on_commit_callbacks,
):
    inspection = seed_inspection_via_service(django_capture_on_commit_callbacks)
    services.milestone_override(
        milestone=by_code(inspection)["action_plan"], due_on=D(2019, 7, 1), reason="Cabinet date"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_update(inspection=inspection, data={"final_report_received_on": None})
    remaining = by_code(inspection)
    assert "la_publishes_report" not in remaining and "complaint_window" not in remaining
    assert remaining["action_plan"].override_due_on == D(2019, 7, 1)


def test_grades_a_rule_depends_on_bring_in_the_reinspection_window(django_capture_on_commit_callbacks):
    inspection = InspectionFactory(
        framework=framework("sif-2013"), onsite_start_on=D(2014, 3, 4), onsite_end_on=D(2014, 3, 26)
    )
    services.milestones_compute(inspection=inspection)
    assert "reinspection_window" not in by_code(inspection)
    with django_capture_on_commit_callbacks(execute=True):
        services.judgements_record(
            inspection=inspection, grades={"overall": "inadequate", "leaders": "inadequate"}
        )
    window = by_code(inspection)["reinspection_window"]
    assert (window.due_on, window.window_end_on) == (D(2015, 3, 26), D(2015, 9, 26))
    assert window.explanation == (
        "12 to 18 months after end of on-site on Wed 26 Mar 2014 (Thu 26 Mar 2015 to Sat 26 Sep 2015)"
    )


def test_jtai_notice_counts_back_with_the_notification_day_as_day_1():
    inspection = InspectionFactory(framework=framework("jtai"), onsite_start_on=D(2024, 9, 16))
    services.milestones_compute(inspection=inspection)
    notice = by_code(inspection)["notification"]
    assert notice.due_on == D(2024, 9, 3)  # Tue 3 Sep is day 1; Mon 16 Sep is day 10
    assert notice.explanation == (
        "10 working days before start of fieldwork on Mon 16 Sep 2024, counting start of fieldwork "
        "as day 1 — no bank holidays or closures in between"
    )


def test_the_task_does_nothing_for_an_inspection_that_is_gone():
    from inspections.tasks import milestones_recompute

    milestones_recompute.delay(987654)  # eager: runs here, and must not raise


def test_the_tasks_retry_only_transient_database_errors():
    from django.db import IntegrityError, OperationalError

    from inspections.tasks import milestones_recompute, milestones_recompute_all

    for task in (milestones_recompute, milestones_recompute_all):
        assert OperationalError in task.autoretry_for
        assert IntegrityError not in task.autoretry_for


def test_a_window_reads_as_a_range():
    inspection = Ilacs2019Factory()
    services.judgements_record(inspection=inspection, grades={"overall": "requires_improvement"})
    services.milestones_compute(inspection=inspection)
    window = by_code(inspection)["next_inspection_window"]
    assert str(window) == "Next inspection window: typically 1 Sep 2021 to 1 Sep 2022"
