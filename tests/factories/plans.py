"""factory_boy factories for improvement plans."""

import datetime as dt

import factory
from django.core.files.base import ContentFile

from readiness.plans.models import Action, ActionEvidence, ImprovementPlan, Priority, ProgressUpdate, Rag


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementPlan

    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    source = ImprovementPlan.Source.SELF_EVALUATION


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Improve practice area {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    description = factory.Sequence(lambda n: f"Action {n}: audit supervision records")
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=90))
    start_on = factory.LazyAttribute(lambda o: o.due_on - dt.timedelta(days=120))
    status = Action.Status.IN_PROGRESS


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    date = factory.LazyFunction(dt.date.today)
    text = "Training delivered to two teams."
    rag = Rag.ON_TRACK


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionEvidence

    action = factory.SubFactory(ActionFactory)
    title = "Minutes of the improvement board"
    original_name = "minutes.pdf"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.7 minutes", name="minutes.pdf"))
