"""Checking a set of judgements (area code -> grade code) against a framework."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .definitions import OVERALL, FrameworkDef


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning"
    area: str | None
    message: str


def _area_label(framework: FrameworkDef, code: str) -> str:
    area = framework.area(code)
    return area.name if area is not None else code


def judgements_check(framework: FrameworkDef, grades: Mapping[str, str | None]) -> list[Problem]:
    """Check ``{area code: grade code}`` against the framework; return errors and warnings (empty if valid).

    Areas mapped to None or "" count as not graded yet and are skipped.
    """
    problems: list[Problem] = []
    short = framework.short_name
    scale = framework.grade_scale
    valid: dict[str, str] = {}
    for code, grade in grades.items():
        if grade is None or grade == "":
            continue
        area = framework.area(code)
        if area is None:
            if code == OVERALL and scale is not None:
                msg = f"{short} has no overall effectiveness judgement, so 'overall' cannot be graded."
            else:
                known = ", ".join(a.code for a in framework.graded_areas) or "none (it is not graded)"
                msg = f"'{code}' is not a judgement area in {short}. Graded areas: {known}."
            problems.append(Problem("error", code, msg))
            continue
        if scale is None:
            problems.append(
                Problem(
                    "error",
                    code,
                    f"{short} does not give grades, so '{area.name}' cannot be graded.",
                )
            )
            continue
        if not area.graded:
            problems.append(
                Problem(
                    "error",
                    code,
                    f"'{area.name}' is not a graded judgement in {short}, so it cannot be graded.",
                )
            )
            continue
        if scale.get(grade) is None:
            allowed = ", ".join(f"{g.code} ({g.label})" for g in scale.grades)
            problems.append(
                Problem("error", code, f"'{grade}' is not a grade in {short}. Use one of: {allowed}.")
            )
            continue
        valid[code] = grade

    if scale is None:
        return problems
    for rule in framework.rules:
        target = valid.get(rule.then_area)
        if target is None or scale.rank_of(target) >= scale.rank_of(rule.max_grade):
            continue
        threshold = scale.rank_of(rule.grade)
        for trigger in rule.when_any_of:
            trigger_grade = valid.get(trigger)
            if trigger_grade is None or scale.rank_of(trigger_grade) < threshold:
                continue
            message = rule.message.format(
                framework=short,
                trigger=_area_label(framework, trigger),
                trigger_grade=scale.get(trigger_grade).label.lower(),  # type: ignore[union-attr]
                area=_area_label(framework, rule.then_area),
                area_grade=scale.get(target).label.lower(),  # type: ignore[union-attr]
                max_grade=scale.get(rule.max_grade).label.lower(),  # type: ignore[union-attr]
            )
            level = "error" if rule.kind == "limiting" else "warning"
            problems.append(Problem(level, rule.then_area, message))
    return problems
