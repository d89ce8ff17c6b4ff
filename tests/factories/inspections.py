"""factory_boy factories for the inspections layer.

Frameworks come from the shipped files (the data migration loads them); `framework()` reloads
them if a transactional test has flushed the tables.
"""

import datetime as dt

import factory
from django.apps import apps

from inspections import framework_files
from inspections.framework_sync import frameworks_sync
from inspections.models import Framework, Inspection, Milestone, NonWorkingDay, Recommendation


def framework(code: str = "ilacs-2023") -> Framework:
    """Return the loaded framework with this code, loading the shipped files first if needed."""
    found = Framework.objects.filter(code=code).first()
    if found is None:
        frameworks_sync(
            framework_files.load_dir(), get_model=lambda name: apps.get_model("inspections", name)
        )
        found = Framework.objects.get(code=code)
    return found


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    framework = factory.LazyFunction(framework)
    kind = Inspection.Kind.ACTUAL
    title = factory.Sequence(lambda n: f"Inspection {n}")
    lead_inspector = "Hilary Marsh"


class Ilacs2019Factory(InspectionFactory):
    """The seed's chain: ILACS standard inspection, Feb 2019 (domain.md §8.1)."""

    framework = factory.LazyFunction(lambda: framework("ilacs-2018"))
    title = factory.Sequence(lambda n: f"ILACS standard inspection 2019 ({n})")
    notified_on = dt.date(2019, 2, 11)
    onsite_start_on = dt.date(2019, 2, 18)
    onsite_end_on = dt.date(2019, 3, 1)
    draft_report_received_on = dt.date(2019, 3, 15)
    factual_accuracy_returned_on = dt.date(2019, 3, 22)
    final_report_received_on = dt.date(2019, 3, 27)
    published_on = dt.date(2019, 4, 1)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    inspection = factory.SubFactory(InspectionFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Improve practice area {n}.")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    inspection = factory.SubFactory(InspectionFactory)
    code = factory.Sequence(lambda n: f"manual_{n}")
    name = "Board briefing"
    status = Milestone.Status.OFSTED_TARGET
    due_on = dt.date(2019, 4, 10)


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonWorkingDay

    date = dt.date(2019, 6, 3)
    name = "Council closure"
    kind = NonWorkingDay.Kind.CLOSED
