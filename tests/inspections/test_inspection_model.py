"""Inspection dates: refused out of order with the field named; status derived from the dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from inspections import framework_files
from inspections.models import Framework, Inspection, JudgementArea, MilestoneRule
from inspections.models.inspections import ONSITE_END_NEEDS_START
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

D = dt.date


def errors_of(inspection: Inspection) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        inspection.full_clean()
    return exc.value.message_dict


def test_onsite_end_before_start_is_refused_on_the_end_date():
    inspection = InspectionFactory.build(onsite_start_on=D(2019, 2, 18), onsite_end_on=D(2019, 2, 15))
    assert errors_of(inspection) == {
        "onsite_end_on": [
            "The last on-site day must be the same as or after the first on-site day (18 Feb 2019)"
        ]
    }


def test_published_before_final_report_received_is_refused_on_the_publication_date():
    inspection = Ilacs2019Factory.build(published_on=D(2019, 3, 26))
    assert errors_of(inspection) == {
        "published_on": [
            "The publication date must be the same as or after the date the final report was received "
            "(27 Mar 2019)"
        ]
    }


def test_each_date_is_checked_against_the_latest_earlier_date_given():
    inspection = InspectionFactory.build(
        notified_on=D(2019, 2, 11), onsite_start_on=D(2019, 2, 8), draft_report_received_on=D(2019, 2, 10)
    )
    errors = errors_of(inspection)
    assert set(errors) == {"onsite_start_on", "draft_report_received_on"}
    assert "the date the council was notified (11 Feb 2019)" in errors["onsite_start_on"][0]
    assert "the date the council was notified (11 Feb 2019)" in errors["draft_report_received_on"][0]


def test_onsite_end_needs_a_start():
    inspection = InspectionFactory.build(onsite_end_on=D(2019, 3, 1))
    assert errors_of(inspection) == {"onsite_start_on": [ONSITE_END_NEEDS_START]}


def test_dates_in_order_and_same_day_dates_are_accepted():
    Ilacs2019Factory.build(final_report_received_on=D(2019, 4, 1)).full_clean()


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2019, 2, 1), Inspection.Status.PLANNED),
        (D(2019, 2, 11), Inspection.Status.NOTIFIED),
        (D(2019, 2, 18), Inspection.Status.ON_SITE),
        (D(2019, 3, 1), Inspection.Status.ON_SITE),
        (D(2019, 3, 4), Inspection.Status.AWAITING_REPORT),
        (D(2019, 3, 27), Inspection.Status.REPORT_RECEIVED),
        (D(2019, 4, 1), Inspection.Status.PUBLISHED),
    ],
)
def test_status_is_derived_from_the_dates(today, status):
    assert Ilacs2019Factory.build().status_on(today) == status


def test_status_property_uses_today_and_has_a_label():
    inspection = InspectionFactory.build()
    assert inspection.status == Inspection.Status.PLANNED
    assert inspection.get_status_display() == "Planned"
    assert Ilacs2019Factory.build().get_status_display() == "Published"


def test_an_override_without_a_reason_is_refused_by_the_database():
    milestone = MilestoneFactory()
    milestone.override_due_on = D(2019, 5, 1)
    with pytest.raises(ValidationError, match="Give a reason"):
        milestone.full_clean()
    with pytest.raises(IntegrityError):
        milestone.save()


def test_model_choices_match_the_framework_file_schema():
    assert tuple(Framework.Kind.values) == framework_files.FRAMEWORK_KINDS
    assert tuple(JudgementArea.Kind.values) == framework_files.AREA_KINDS
    assert tuple(MilestoneRule.Anchor.values) == framework_files.ANCHORS
    assert tuple(MilestoneRule.Unit.values) == framework_files.UNITS
    assert tuple(MilestoneRule.Convention.values) == framework_files.CONVENTIONS
    assert tuple(MilestoneRule.Status.values) == framework_files.STATUSES
