"""Write parsed framework files into the database, and read them back as definitions.

`frameworks_sync` takes the model classes through `get_model`, so the `load_frameworks` command
passes the real models and the data migration passes its historical ones (which have no
`history` manager: rows written there get their history rows here, by hand). A row is saved only
when one of its values changed, so loading the same files twice writes nothing and adds no
history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from inspections import framework_files as ff

GetModel = Callable[[str], Any]

CREATED, UPDATED, UNCHANGED, DELETED = "created", "updated", "unchanged", "deleted"
HISTORY_REASON = "load_frameworks"


class FrameworkSyncError(Exception):
    """The files cannot be applied (e.g. they drop an area that has judgements); nothing was written."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ItemChange:
    """One row the sync created, updated or deleted, with its values before and after.

    `kind` is "framework", "grade scale", "grade", "area" or "milestone rule". `before` is None
    for a created row and `after` None for a deleted one; values are plain (a related row is its
    code), so they outlive a rolled-back preview.
    """

    kind: str
    code: str
    state: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class FrameworkResult:
    code: str
    state: str = UNCHANGED
    changes: list[str] = field(default_factory=list)  # e.g. "area leaders updated"
    items: list[ItemChange] = field(default_factory=list)  # every row written, field by field

    def note(self, what: str, state: str) -> None:
        if state != UNCHANGED:
            self.changes.append(f"{what} {state}")
            if self.state == UNCHANGED:
                self.state = UPDATED

    def record(self, kind: str, code: str, change: tuple[str, dict | None, dict | None]) -> None:
        """Keep the field-by-field change of one row (nothing when it was unchanged)."""
        state, before, after = change
        if state != UNCHANGED:
            self.items.append(ItemChange(kind=kind, code=code, state=state, before=before, after=after))


def file_checksum(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _record_history(obj: Any, history_type: str, get_model: GetModel) -> None:
    """Write a history row for a model without a `history` manager (migration state)."""
    if hasattr(type(obj), "history"):
        return  # the real model: django-simple-history's signals record it
    historical = get_model(f"Historical{type(obj).__name__}")
    values = {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=HISTORY_REASON,
    )


def _plain(value: Any) -> Any:
    """A value as `ItemChange` keeps it: a related row becomes its code."""
    if hasattr(value, "_meta"):
        return getattr(value, "code", value.pk)
    return value


def _snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], get_model: GetModel):
    """Create or update one row; save only if a value differs.

    Return (obj, (state, values before, values after)).
    """
    after = {name: _plain(value) for name, value in values.items()}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        _record_history(obj, "+", get_model)
        return obj, (CREATED, None, after)
    before = _snapshot(obj, values)
    changed = False
    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.is_relation:
            current, wanted = getattr(obj, f.attname), (value.pk if value is not None else None)
        else:
            current, wanted = getattr(obj, name), value
        if current != wanted:
            setattr(obj, name, value)
            changed = True
    if not changed:
        return obj, (UNCHANGED, before, after)
    obj._change_reason = HISTORY_REASON
    obj.save()
    _record_history(obj, "~", get_model)
    return obj, (UPDATED, before, after)


_NOT_COMPARED = frozenset({"id", "framework", "scale"})  # the key and the parent the row hangs on


def _delete(obj: Any, get_model: GetModel) -> tuple[str, dict[str, Any], None]:
    """Delete one row (with history); return its change as `_upsert` does."""
    names = [f.name for f in type(obj)._meta.concrete_fields if f.name not in _NOT_COMPARED]
    before = _snapshot(obj, names)
    if not hasattr(type(obj), "history"):
        _record_history(obj, "-", get_model)
    obj._change_reason = HISTORY_REASON
    obj.delete()
    return DELETED, before, None


def _rules_data(fd: ff.FrameworkDef) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "when_any_of": list(r.when_any_of),
            "grade": r.grade,
            "then_area": r.then_area,
            "max_grade": r.max_grade,
            "message": r.message,
            "source": r.source,
        }
        for r in fd.rules
    ]


def _themes_data(fd: ff.FrameworkDef) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "name": t.name,
            "period": t.period,
            "from": t.period_from.isoformat() if t.period_from else None,
            "to": t.period_to.isoformat() if t.period_to else None,
            "notes": t.notes,
        }
        for t in fd.themes
    ]


def _sync_scale(scale_def: ff.GradeScaleDef, get_model: GetModel, result: FrameworkResult, problems):
    GradeScale, Grade, Judgement = (get_model(n) for n in ("GradeScale", "Grade", "Judgement"))
    scale, change = _upsert(GradeScale, {"code": scale_def.code}, {}, get_model)
    result.note(f"grade scale {scale_def.code}", change[0])
    result.record("grade scale", scale_def.code, change)
    for g in scale_def.grades:
        _, change = _upsert(
            Grade,
            {"scale": scale, "code": g.code},
            {"label": g.label, "rank": g.rank, "aliases": list(g.aliases)},
            get_model,
        )
        result.note(f"grade {g.code}", change[0])
        result.record("grade", g.code, change)
    for stale in Grade.objects.filter(scale=scale).exclude(code__in=scale_def.codes):
        if Judgement.objects.filter(grade=stale).exists():
            problems.append(
                f"{result.code}: grade '{stale.code}' was removed from scale '{scale.code}' "
                "but judgements use it; give the changed scale a new code"
            )
        else:
            result.record("grade", stale.code, _delete(stale, get_model))
            result.note(f"grade {stale.code}", DELETED)
    return scale


def _sync_one(fd: ff.FrameworkDef, get_model: GetModel, problems: list[str]) -> FrameworkResult:
    Framework, JudgementArea, MilestoneRule = (
        get_model(n) for n in ("Framework", "JudgementArea", "MilestoneRule")
    )
    Judgement, Recommendation = get_model("Judgement"), get_model("Recommendation")
    result = FrameworkResult(code=fd.code)
    scale = _sync_scale(fd.grade_scale, get_model, result, problems) if fd.grade_scale else None
    framework, change = _upsert(
        Framework,
        {"code": fd.code},
        {
            "name": fd.name,
            "short_name": fd.short_name,
            "version": fd.version,
            "inspectorate": fd.inspectorate,
            "kind": fd.kind,
            "valid_from": fd.valid_from,
            "valid_to": fd.valid_to,
            "sources": [{"title": s.title, "url": s.url} for s in fd.sources],
            "notes": fd.notes,
            "is_graded": fd.is_graded,
            "grade_scale": scale,
            "rules": _rules_data(fd),
            "themes": _themes_data(fd),
            "checksum": file_checksum(fd.path) if fd.path else "",
        },
        get_model,
    )
    if change[0] == CREATED:
        result.state = CREATED
    else:
        result.note("framework", change[0])
    result.record("framework", fd.code, change)

    areas: dict[str, Any] = {}
    for order, a in enumerate(fd.areas):  # depth-first: a parent always comes before its children
        areas[a.code], change = _upsert(
            JudgementArea,
            {"framework": framework, "code": a.code},
            {
                "parent": areas[a.parent] if a.parent else None,
                "name": a.name,
                "kind": a.kind,
                "graded": a.graded,
                "limits_overall": a.limits_overall,
                "criteria": "\n".join(a.criteria),
                "order": order,
                "depth": a.depth,
            },
            get_model,
        )
        if result.state != CREATED:
            result.note(f"area {a.code}", change[0])
        result.record("area", a.code, change)
    stale_areas = JudgementArea.objects.filter(framework=framework).exclude(code__in=areas)
    for stale in sorted(stale_areas, key=lambda x: -x.depth):
        used = Judgement.objects.filter(area=stale).exists() or (
            Recommendation.objects.filter(area=stale).exists()
        )
        if used:
            problems.append(
                f"{fd.code}: area '{stale.code}' was removed from the file but inspections use it; "
                "keep it, or give the changed framework a new code"
            )
        else:
            result.record("area", stale.code, _delete(stale, get_model))
            result.note(f"area {stale.code}", DELETED)

    codes = []
    for order, m in enumerate(fd.milestones):
        codes.append(m.code)
        _, change = _upsert(
            MilestoneRule,
            {"framework": framework, "code": m.code},
            {
                "name": m.name,
                "anchor": m.anchor,
                "offset": m.offset,
                "unit": m.unit,
                "convention": m.convention,
                "status": m.status,
                "window_end_offset": m.window_end_offset,
                "applies_if": (
                    {"area": m.applies_if.area, "grades": list(m.applies_if.grades)} if m.applies_if else None
                ),
                "explanation": m.explanation,
                "source": m.source,
                "order": order,
            },
            get_model,
        )
        if result.state != CREATED:
            result.note(f"milestone rule {m.code}", change[0])
        result.record("milestone rule", m.code, change)
    for stale in MilestoneRule.objects.filter(framework=framework).exclude(code__in=codes):
        # computed milestones keep their dates (rule set to null)
        result.record("milestone rule", stale.code, _delete(stale, get_model))
        result.note(f"milestone rule {stale.code}", DELETED)
    return result


def frameworks_sync(definitions: Iterable[ff.FrameworkDef], *, get_model: GetModel) -> list[FrameworkResult]:
    """Create or update every framework given, in one transaction; raise FrameworkSyncError for none.

    Frameworks in the database but not in `definitions` are left alone: inspections refer to them.
    """
    problems: list[str] = []
    with transaction.atomic():
        results = [_sync_one(fd, get_model, problems) for fd in definitions]
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise FrameworkSyncError(problems)
    return results


# ---------------------------------------------------------------------------
# The other way: a FrameworkDef from the database, for framework_files.judgements_check
# ---------------------------------------------------------------------------


def framework_definition(framework: Any) -> ff.FrameworkDef:
    """Return the definition of a loaded `Framework` row (what its file said when it was loaded)."""
    scale = None
    if framework.grade_scale_id:
        scale = ff.GradeScaleDef(
            code=framework.grade_scale.code,
            grades=tuple(
                ff.GradeDef(code=g.code, label=g.label, rank=g.rank, aliases=tuple(g.aliases))
                for g in framework.grade_scale.grades.order_by("rank")
            ),
        )
    rows = list(framework.areas.select_related("parent").order_by("order"))
    areas = tuple(
        ff.AreaDef(
            code=a.code,
            name=a.name,
            kind=a.kind,
            graded=a.graded,
            limits_overall=a.limits_overall,
            criteria=tuple(a.criteria_lines),
            parent=a.parent.code if a.parent_id else None,
            depth=a.depth,
        )
        for a in rows
    )
    rules = tuple(
        ff.RuleDef(
            kind=r["kind"],
            when_any_of=tuple(r["when_any_of"]),
            grade=r["grade"],
            then_area=r["then_area"],
            max_grade=r["max_grade"],
            message=r["message"],
            source=r.get("source", ""),
        )
        for r in framework.rules
    )
    return ff.FrameworkDef(
        schema_version=ff.SCHEMA_VERSION,
        code=framework.code,
        name=framework.name,
        short_name=framework.short_name,
        version=framework.version,
        inspectorate=framework.inspectorate,
        kind=framework.kind,
        valid_from=framework.valid_from,
        valid_to=framework.valid_to,
        sources=tuple(ff.SourceDef(title=s["title"], url=s["url"]) for s in framework.sources),
        notes=framework.notes,
        grade_scale=scale,
        areas=areas,
        rules=rules,
    )
