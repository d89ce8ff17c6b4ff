"""Serialisation: the inverse of loading, so dumping and reloading gives an equal FrameworkDef."""

from __future__ import annotations

from typing import Any

import yaml

from .definitions import AreaDef, FrameworkDef, MilestoneRuleDef


def _area_to_dict(framework: FrameworkDef, area: AreaDef) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "kind": area.kind,
        "graded": area.graded,
        "limits_overall": area.limits_overall,
        "criteria": list(area.criteria),
        "children": [_area_to_dict(framework, c) for c in framework.children_of(area.code)],
    }


def _milestone_to_dict(ms: MilestoneRuleDef) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": ms.code,
        "name": ms.name,
        "anchor": ms.anchor,
        "offset": ms.offset,
        "unit": ms.unit,
        "convention": ms.convention,
        "status": ms.status,
    }
    if ms.window_end_offset is not None:
        out["window_end_offset"] = ms.window_end_offset
    if ms.applies_if is not None:
        cond: dict[str, Any] = {"area": ms.applies_if.area}
        if len(ms.applies_if.grades) == 1:
            cond["grade"] = ms.applies_if.grades[0]
        else:
            cond["grades"] = list(ms.applies_if.grades)
        out["applies_if"] = cond
    out["source"] = ms.source
    out["explanation"] = ms.explanation
    return out


def to_dict(framework: FrameworkDef) -> dict[str, Any]:
    """Return the framework as plain data in the file layout (areas nested as children)."""
    scale = framework.grade_scale
    out: dict[str, Any] = {
        "schema_version": framework.schema_version,
        "code": framework.code,
        "name": framework.name,
        "short_name": framework.short_name,
        "version": framework.version,
        "inspectorate": framework.inspectorate,
        "kind": framework.kind,
        "valid_from": framework.valid_from,
        "valid_to": framework.valid_to,
        "source": [{"title": s.title, "url": s.url} for s in framework.sources],
        "notes": framework.notes,
        "grade_scale": None
        if scale is None
        else {
            "code": scale.code,
            "grades": [
                {
                    "code": g.code,
                    "label": g.label,
                    "rank": g.rank,
                    **({"aliases": list(g.aliases)} if g.aliases else {}),
                }
                for g in scale.grades
            ],
        },
        "areas": [_area_to_dict(framework, a) for a in framework.children_of(None)],
        "rules": [
            {
                "kind": r.kind,
                "when_any_of": list(r.when_any_of),
                "grade": r.grade,
                "then": {"area": r.then_area, "max_grade": r.max_grade},
                "message": r.message,
                **({"source": r.source} if r.source else {}),
            }
            for r in framework.rules
        ],
        "milestones": [_milestone_to_dict(m) for m in framework.milestones],
    }
    if framework.themes:
        out["themes"] = [
            {
                "code": t.code,
                "name": t.name,
                "period": t.period,
                "from": t.period_from,
                "to": t.period_to,
                **({"notes": t.notes} if t.notes else {}),
            }
            for t in framework.themes
        ]
    return out


def dump_yaml(framework: FrameworkDef) -> str:
    """Return the framework as YAML text in the file layout."""
    return yaml.safe_dump(to_dict(framework), sort_keys=False, allow_unicode=True, width=100)
