"""Cross-checks within a framework file: the area tree (parents, cycles, the overall area),
references to grades and areas, rules, limits_overall, and milestones.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from .definitions import (
    _SNAKE_RE,
    ANCHORS,
    CONVENTIONS,
    OVERALL,
    RULE_KINDS,
    RULE_MESSAGE_FIELDS,
    STATUSES,
    UNITS,
    AreaDef,
    ConditionDef,
    GradeScaleDef,
    MilestoneRuleDef,
    RuleDef,
)
from .parsing import (
    _as_map,
    _check_keys,
    _Collector,
    _get_choice,
    _get_int,
    _get_list,
    _get_str,
    _RawArea,
)
from .yaml_lines import _Map


def _build_area_tree(
    col: _Collector, doc: _Map, raws: list[_RawArea], first_line: dict[str, int]
) -> tuple[AreaDef, ...]:
    """Check parents, cycles and the overall area; return the areas depth-first, in file order."""
    by_code = {r.code: r for r in raws}
    # Unknown parents (flat form).
    for r in raws:
        if r.parent is not None and r.parent not in by_code and r.parent not in first_line:
            col.add(r.lines.line_of("parent"), f"area '{r.code}' names unknown parent '{r.parent}'")
    # Cycles (only possible in the flat form, where areas name their parent).
    in_cycle: set[str] = set()
    for r in raws:
        chain = [r.code]
        seen = {r.code}
        cur = r.parent
        while cur is not None and cur in by_code:
            if cur in seen:
                cycle = chain[chain.index(cur) :] + [cur]
                if not in_cycle.intersection(cycle):
                    start = by_code[cur]
                    col.add(
                        start.lines.line_of("parent"),
                        "cycle in the area tree: " + " → ".join(cycle),
                    )
                in_cycle.update(cycle)
                break
            seen.add(cur)
            chain.append(cur)
            cur = by_code[cur].parent
    if in_cycle:
        return ()
    # Depth-first order: roots, then children, each by order of appearance.
    kids: dict[str | None, list[_RawArea]] = {}
    for r in raws:
        parent_key = r.parent if (r.parent is None or r.parent in by_code) else None
        kids.setdefault(parent_key, []).append(r)
    out: list[AreaDef] = []

    def emit(parent: str | None, depth: int) -> None:
        for r in sorted(kids.get(parent, []), key=lambda x: x.index):
            out.append(
                AreaDef(
                    code=r.code,
                    name=r.name,
                    kind=r.kind,
                    graded=r.graded,
                    limits_overall=r.limits_overall,
                    criteria=r.criteria,
                    parent=r.parent if r.parent in by_code else None,
                    depth=depth,
                )
            )
            emit(r.code, depth + 1)

    emit(None, 0)
    overall_areas = [a for a in out if a.kind == "overall"]
    if len(overall_areas) > 1:
        col.add(doc.line_of("areas"), "a framework can have only one area of kind 'overall'")
    for a in overall_areas:
        if a.code != OVERALL:
            col.add(by_code[a.code].lines.line_of("code"), f"the overall area must use the code '{OVERALL}'")
    return tuple(out)


def _check_grade_ref(
    col: _Collector, scale: GradeScaleDef | None, value: Any, line: int, what: str
) -> str | None:
    if scale is None:
        col.add(line, f"{what} refers to grade {value!r} but the framework has no grade scale")
        return None
    if not isinstance(value, str) or scale.get(value) is None:
        col.add(
            line,
            f"{what} refers to unknown grade {value!r}; grade scale '{scale.code}' has: "
            + ", ".join(scale.codes),
        )
        return None
    return value


def _check_area_ref(
    col: _Collector,
    areas: Mapping[str, AreaDef],
    value: Any,
    line: int,
    what: str,
    *,
    must_be_graded: bool = True,
) -> str | None:
    if not isinstance(value, str) or value not in areas:
        known = ", ".join(areas) or "none"
        col.add(line, f"{what} names unknown area {value!r} (areas: {known})")
        return None
    if must_be_graded and not areas[value].graded:
        col.add(line, f"{what} names area '{value}', which is not graded")
        return None
    return value


def _parse_rules(
    col: _Collector, doc: _Map, scale: GradeScaleDef | None, areas: Mapping[str, AreaDef]
) -> tuple[tuple[RuleDef, ...], list[int]]:
    """Return the rules and, alongside, the line of each rule (for later messages)."""
    out: list[RuleDef] = []
    lines: list[int] = []
    for item in _get_list(col, doc, "rules", ""):
        m = _as_map(col, item, doc.line_of("rules"), "a rule")
        if m is None:
            continue
        if not _check_keys(col, m, "rule", ("kind", "when_any_of", "grade", "then", "message"), ("source",)):
            continue
        kind = _get_choice(col, m, "kind", "rule", RULE_KINDS)
        when: list[str] = []
        raw_when = _get_list(col, m, "when_any_of", "rule")
        if not raw_when:
            col.add(m.line_of("when_any_of"), "'when_any_of' must list at least one area code")
        for code in raw_when:
            ok = _check_area_ref(col, areas, code, m.line_of("when_any_of"), "rule 'when_any_of'")
            if ok:
                when.append(ok)
        grade = _check_grade_ref(col, scale, m.get("grade"), m.line_of("grade"), "rule 'grade'")
        then = _as_map(col, m.get("then"), m.line_of("then"), "rule 'then'")
        then_area = max_grade = None
        if then is not None and _check_keys(col, then, "rule 'then'", ("area", "max_grade")):
            then_area = _check_area_ref(col, areas, then.get("area"), then.line_of("area"), "rule 'then'")
            max_grade = _check_grade_ref(
                col, scale, then.get("max_grade"), then.line_of("max_grade"), "rule 'then'"
            )
            if then_area is not None and then_area in when:
                col.add(then.line_of("area"), f"rule limits '{then_area}' by its own grade")
        message = _get_str(col, m, "message", "rule")
        if message is not None:
            try:
                names = {f[1] for f in string.Formatter().parse(message) if f[1] is not None}
            except ValueError as exc:
                col.add(m.line_of("message"), f"rule message is not a valid template: {exc}")
                names = set()
                message = None
            unknown = sorted(n for n in names if n not in RULE_MESSAGE_FIELDS)
            if unknown:
                col.add(
                    m.line_of("message"),
                    f"rule message uses unknown placeholder(s) {', '.join(unknown)}; "
                    f"allowed: {', '.join(RULE_MESSAGE_FIELDS)}",
                )
                message = None
        source = m.get("source", "")
        if not isinstance(source, str):
            col.add(m.line_of("source"), f"rule 'source' must be text, got {source!r}")
            source = ""
        if None in (kind, grade, then_area, max_grade, message) or len(when) != len(raw_when) or not when:
            continue
        out.append(
            RuleDef(
                kind=kind,  # type: ignore[arg-type]
                when_any_of=tuple(when),
                grade=grade,  # type: ignore[arg-type]
                then_area=then_area,  # type: ignore[arg-type]
                max_grade=max_grade,  # type: ignore[arg-type]
                message=message,  # type: ignore[arg-type]
                source=source.strip(),
            )
        )
        lines.append(m.line)
    return tuple(out), lines


def _check_limits_consistency(
    col: _Collector,
    doc: _Map,
    areas: tuple[AreaDef, ...],
    rules: tuple[RuleDef, ...],
    rule_lines: list[int],
    area_lines: dict[str, int],
) -> None:
    """limits_overall: true must match the areas named by a limiting rule on the overall area."""
    has_overall = any(a.code == OVERALL for a in areas)
    limiting_triggers: set[str] = set()
    for rule in rules:
        if rule.kind == "limiting" and rule.then_area == OVERALL:
            limiting_triggers.update(rule.when_any_of)
    for a in areas:
        if not a.limits_overall:
            continue
        line = area_lines.get(a.code, doc.line_of("areas"))
        if not has_overall:
            col.add(line, f"area '{a.code}' has limits_overall: true but the framework has no overall area")
        elif a.code not in limiting_triggers:
            col.add(
                line,
                f"area '{a.code}' has limits_overall: true but no limiting rule on '{OVERALL}' names it",
            )
    for rule, rule_line in zip(rules, rule_lines, strict=True):
        if rule.kind == "limiting" and rule.then_area == OVERALL:
            for code in rule.when_any_of:
                area = next(a for a in areas if a.code == code)
                if not area.limits_overall:
                    col.add(
                        rule_line,
                        f"limiting rule names '{code}', which should then have limits_overall: true",
                    )


def _parse_condition(
    col: _Collector, m: _Map, scale: GradeScaleDef | None, areas: Mapping[str, AreaDef]
) -> ConditionDef | None:
    c = _as_map(col, m.get("applies_if"), m.line_of("applies_if"), "'applies_if'")
    if c is None:
        return None
    if not _check_keys(col, c, "applies_if", ("area",), ("grade", "grades")):
        return None
    area = _check_area_ref(col, areas, c.get("area"), c.line_of("area"), "'applies_if'")
    if ("grade" in c) == ("grades" in c):
        col.add(c.line, "'applies_if' needs exactly one of 'grade' or 'grades'")
        return None
    raw = [c["grade"]] if "grade" in c else c.get("grades")
    key = "grade" if "grade" in c else "grades"
    if not isinstance(raw, list) or not raw:
        col.add(c.line_of(key), "'applies_if' grades must be a non-empty list")
        return None
    grades = [_check_grade_ref(col, scale, g, c.line_of(key), "'applies_if'") for g in raw]
    if area is None or None in grades:
        return None
    return ConditionDef(area=area, grades=tuple(grades))  # type: ignore[arg-type]


def _parse_milestones(
    col: _Collector, doc: _Map, scale: GradeScaleDef | None, areas: Mapping[str, AreaDef]
) -> tuple[MilestoneRuleDef, ...]:
    out: list[MilestoneRuleDef] = []
    seen: dict[str, int] = {}
    for item in _get_list(col, doc, "milestones", ""):
        m = _as_map(col, item, doc.line_of("milestones"), "a milestone")
        if m is None:
            continue
        if not _check_keys(
            col,
            m,
            "milestone",
            ("code", "name", "anchor", "offset", "unit", "convention", "status", "source", "explanation"),
            ("window_end_offset", "applies_if"),
        ):
            continue
        code = _get_str(col, m, "code", "milestone")
        if code is not None:
            if not _SNAKE_RE.match(code):
                col.add(m.line_of("code"), f"milestone code {code!r} must be snake_case")
            if code in seen:
                col.add(m.line_of("code"), f"duplicate milestone code '{code}' (first on line {seen[code]})")
                code = None
            else:
                seen[code] = m.line_of("code")
        name = _get_str(col, m, "name", "milestone")
        anchor = _get_choice(col, m, "anchor", "milestone", ANCHORS)
        offset = _get_int(col, m, "offset", "milestone")
        unit = _get_choice(col, m, "unit", "milestone", UNITS)
        convention = _get_choice(col, m, "convention", "milestone", CONVENTIONS)
        status = _get_choice(col, m, "status", "milestone", STATUSES)
        source = _get_str(col, m, "source", "milestone")
        explanation = _get_str(col, m, "explanation", "milestone")
        window_end = _get_int(col, m, "window_end_offset", "milestone", allow_none=True)
        if window_end is not None and offset is not None and window_end <= offset:
            col.add(
                m.line_of("window_end_offset"),
                f"window_end_offset ({window_end}) must be after offset ({offset})",
            )
            window_end = None
        condition = _parse_condition(col, m, scale, areas) if "applies_if" in m else None
        if None in (code, name, anchor, offset, unit, convention, status, source, explanation):
            continue
        if "applies_if" in m and condition is None:
            continue
        if "window_end_offset" in m and m["window_end_offset"] is not None and window_end is None:
            continue
        out.append(
            MilestoneRuleDef(
                code=code,  # type: ignore[arg-type]
                name=name,  # type: ignore[arg-type]
                anchor=anchor,  # type: ignore[arg-type]
                offset=offset,  # type: ignore[arg-type]
                unit=unit,  # type: ignore[arg-type]
                convention=convention,  # type: ignore[arg-type]
                status=status,  # type: ignore[arg-type]
                explanation=explanation,  # type: ignore[arg-type]
                source=source,  # type: ignore[arg-type]
                window_end_offset=window_end,
                applies_if=condition,
            )
        )
    return tuple(out)


def _area_lines(doc: _Map) -> dict[str, int]:
    """Line of each area's 'code' key, for messages raised after the tree is built."""
    lines: dict[str, int] = {}

    def walk(items: Any) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            if isinstance(item, _Map):
                code = item.get("code")
                if isinstance(code, str) and code not in lines:
                    lines[code] = item.line_of("code")
                walk(item.get("children"))

    walk(doc.get("areas"))
    return lines
