"""Constants, the error type and the frozen definitions a framework file parses into."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_VERSION = 1
FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"

# The area code every graded framework with a headline judgement uses for it.
OVERALL = "overall"

FRAMEWORK_KINDS = ("inspection", "review", "visit")
AREA_KINDS = ("overall", "key", "graded_sub", "contributory", "line_of_enquiry", "theme")
RULE_KINDS = ("limiting", "warning")
ANCHORS = (
    "notified",
    "onsite_start",
    "onsite_end",
    "draft_report_received",
    "factual_accuracy_returned",
    "final_report_received",
    "published",
    "last_inspection_end",
    "fieldwork_start",
)
UNITS = ("working_days", "calendar_days", "months")
CONVENTIONS = ("day0", "day1")
STATUSES = ("statutory", "ofsted_target", "observed")

# Placeholders a rule message may use; filled in by judgements_check.
RULE_MESSAGE_FIELDS = ("framework", "trigger", "trigger_grade", "area", "area_grade", "max_grade")

_FRAMEWORK_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class FrameworkFileError(Exception):
    """One or more framework files are invalid; ``problems`` lists each as "path:line: message"."""

    def __init__(self, problems: Iterable[str]):
        self.problems: list[str] = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in framework files"
        super().__init__(heading + ":\n" + "\n".join(f"  {p}" for p in self.problems))


# ---------------------------------------------------------------------------
# Parsed definitions (frozen, comparable; tuples rather than lists so they hash)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceDef:
    title: str
    url: str


@dataclass(frozen=True)
class GradeDef:
    code: str
    label: str
    rank: int  # 1 = best
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GradeScaleDef:
    code: str
    grades: tuple[GradeDef, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(g.code for g in self.grades)

    def get(self, code: str) -> GradeDef | None:
        return next((g for g in self.grades if g.code == code), None)

    def rank_of(self, code: str) -> int:
        grade = self.get(code)
        if grade is None:
            raise KeyError(code)
        return grade.rank


@dataclass(frozen=True)
class AreaDef:
    code: str
    name: str
    kind: str
    graded: bool
    limits_overall: bool
    criteria: tuple[str, ...]
    parent: str | None
    depth: int  # 0 for a root area


@dataclass(frozen=True)
class RuleDef:
    kind: str  # "limiting" -> error when broken; "warning" -> warning only
    when_any_of: tuple[str, ...]
    grade: str  # the trigger fires when a listed area has this grade or a worse one
    then_area: str
    max_grade: str  # then_area may be no better than this grade
    message: str
    source: str = ""


@dataclass(frozen=True)
class ConditionDef:
    area: str
    grades: tuple[str, ...]


@dataclass(frozen=True)
class MilestoneRuleDef:
    code: str
    name: str
    anchor: str
    offset: int
    unit: str
    convention: str
    status: str
    explanation: str
    source: str
    window_end_offset: int | None = None
    applies_if: ConditionDef | None = None

    @property
    def is_window(self) -> bool:
        return self.window_end_offset is not None


@dataclass(frozen=True)
class ThemeDef:
    code: str
    name: str
    period: str  # as the sources give it, e.g. "Sep 2016 – Mar 2017"
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class FrameworkDef:
    schema_version: int
    code: str
    name: str
    short_name: str
    version: int
    inspectorate: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    sources: tuple[SourceDef, ...]
    notes: str
    grade_scale: GradeScaleDef | None
    areas: tuple[AreaDef, ...]  # depth-first, in file order
    rules: tuple[RuleDef, ...] = ()
    milestones: tuple[MilestoneRuleDef, ...] = ()
    themes: tuple[ThemeDef, ...] = ()
    path: str | None = field(default=None, compare=False, repr=False)

    @property
    def is_graded(self) -> bool:
        return self.grade_scale is not None

    @property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.areas)

    def area(self, code: str) -> AreaDef | None:
        return next((a for a in self.areas if a.code == code), None)

    def children_of(self, code: str | None) -> tuple[AreaDef, ...]:
        return tuple(a for a in self.areas if a.parent == code)

    @property
    def graded_areas(self) -> tuple[AreaDef, ...]:
        return tuple(a for a in self.areas if a.graded)
