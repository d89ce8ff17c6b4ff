"""Inspections: the lowest layer. Frameworks, inspections, judgements and deadlines."""

from inspections.models.calendar import NonWorkingDay
from inspections.models.feeds import CalendarToken
from inspections.models.frameworks import Framework, Grade, GradeScale, JudgementArea, MilestoneRule
from inspections.models.inspections import Inspection, Judgement, Milestone, Recommendation
from inspections.models.onsite import Concern, DailyNote, DataRequest, Meeting

__all__ = [
    "CalendarToken",
    "Concern",
    "DailyNote",
    "DataRequest",
    "Meeting",
    "Framework",
    "Grade",
    "GradeScale",
    "Inspection",
    "Judgement",
    "JudgementArea",
    "Milestone",
    "MilestoneRule",
    "NonWorkingDay",
    "Recommendation",
]
