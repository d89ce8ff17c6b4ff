"""Factories for casework models (factory_boy)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from casework.models import Child, Cohort, Episode, Event, ImportRun, Placement


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child
        django_get_or_create = ("child_id",)

    child_id = factory.Sequence(lambda n: f"C{n:05d}")
    birth_year = 2015
    birth_month = 3
    gender = Child.Gender.FEMALE


class EpisodeFactory(DjangoModelFactory):
    class Meta:
        model = Episode

    child = factory.SubFactory(ChildFactory)
    cohort = Cohort.CHILD_IN_NEED
    start_on = datetime.date(2024, 1, 2)


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    placement_type = Placement.Type.FOSTER
    in_area = True
    start_on = datetime.date(2024, 1, 2)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    child = factory.SubFactory(ChildFactory)
    kind = Event.Kind.REFERRAL
    occurred_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = ImportRun

    file_name = "cases.csv"
    sha256 = "0" * 64
    status = ImportRun.Status.SUCCEEDED


# Samples and case audits -----------------------------------------------------------------------

from casework.audit_questions import CURRENT_VERSION  # noqa: E402
from casework.models import CaseAudit, Sample, SampleCohort, SampleMember  # noqa: E402


class SampleFactory(DjangoModelFactory):
    class Meta:
        model = Sample

    kind = Sample.Kind.TRACKED
    title = factory.Sequence(lambda n: f"Sample {n}")
    rule_code = "open"
    due_on = datetime.date(2026, 5, 1)


class SampleMemberFactory(DjangoModelFactory):
    class Meta:
        model = SampleMember

    sample = factory.SubFactory(SampleFactory)
    child = factory.SubFactory(ChildFactory)
    cohort = SampleCohort.LOOKED_AFTER
    out_of_borough = False
    order = factory.Sequence(lambda n: n)


class CaseAuditFactory(DjangoModelFactory):
    """Needs `auditor=` (a user)."""

    class Meta:
        model = CaseAudit

    member = factory.SubFactory(SampleMemberFactory)
    child = factory.LazyAttribute(lambda audit: audit.member.child)
    cohort = factory.LazyAttribute(lambda audit: audit.member.cohort)
    question_set_version = CURRENT_VERSION
    due_on = datetime.date(2026, 5, 1)
