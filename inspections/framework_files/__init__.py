"""Load and validate the inspection framework data files in ``inspections/frameworks/``.

This module is pure: PyYAML and dataclasses, no Django. A management command syncs the parsed
result into the database; this module only reads, checks and describes the files.

Every problem found in a file is reported as ``"path:line: message"``. All problems in all files
are collected before anything is raised, so a caller either gets every framework or none.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ANCHORS",
    "AREA_KINDS",
    "CONVENTIONS",
    "FRAMEWORKS_DIR",
    "FRAMEWORK_KINDS",
    "OVERALL",
    "RULE_KINDS",
    "SCHEMA_VERSION",
    "STATUSES",
    "UNITS",
    "AreaDef",
    "ConditionDef",
    "FrameworkDef",
    "FrameworkFileError",
    "GradeDef",
    "GradeScaleDef",
    "MilestoneRuleDef",
    "Problem",
    "RuleDef",
    "SourceDef",
    "ThemeDef",
    "dump_yaml",
    "judgements_check",
    "load_dir",
    "load_file",
    "to_dict",
]

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


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning"
    area: str | None
    message: str


# ---------------------------------------------------------------------------
# YAML loading with line numbers
# ---------------------------------------------------------------------------


class _Map(dict):
    """A dict that remembers the line of its mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are ``_Map``s carrying line numbers; it also notes duplicate keys."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Map:  # type: ignore[override]
        self.flatten_mapping(node)
        mapping = _Map()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from exc
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines:
                self.duplicate_keys.append((line, key))
            mapping.key_lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _construct_yaml_map(loader: _LineLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    # Two-step construction (yield, then fill) as in PyYAML, so recursive structures still work.
    data = _Map()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    built = loader.construct_mapping(node)
    data.update(built)
    data.key_lines = built.key_lines


def _construct_yaml_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2020-13-01 would raise ValueError inside PyYAML, with no line;
    # keep it as text so the date check reports it against its line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_yaml_timestamp)


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------


class _Collector:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")


_MISSING = object()


def _where(what: str) -> str:
    return f" in {what}" if what else ""


def _check_keys(
    col: _Collector, m: _Map, what: str, required: Iterable[str], optional: Iterable[str] = ()
) -> bool:
    """Report missing and unknown keys; return False if a required key is missing."""
    required = tuple(required)
    allowed = set(required) | set(optional)
    ok = True
    for key in required:
        if key not in m:
            col.add(m.line, f"missing required key '{key}'{_where(what)}")
            ok = False
    for key in m:
        if key not in allowed:
            col.add(
                m.line_of(key),
                f"unknown key '{key}'{_where(what)} (allowed: {', '.join(sorted(allowed))})",
            )
    return ok


def _get_str(col: _Collector, m: _Map, key: str, what: str, *, default: Any = _MISSING) -> str | None:
    value = m.get(key, default)
    if value is _MISSING:
        return None
    if not isinstance(value, str) or not value.strip():
        col.add(m.line_of(key), f"'{key}'{_where(what)} must be a non-empty text value, got {value!r}")
        return None
    return value.strip()


def _get_int(col: _Collector, m: _Map, key: str, what: str, *, allow_none: bool = False) -> int | None:
    value = m.get(key)
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        col.add(m.line_of(key), f"'{key}'{_where(what)} must be a whole number, got {value!r}")
        return None
    return value


def _get_bool(col: _Collector, m: _Map, key: str, what: str, default: bool) -> bool:
    value = m.get(key, default)
    if not isinstance(value, bool):
        col.add(m.line_of(key), f"'{key}'{_where(what)} must be true or false, got {value!r}")
        return default
    return value


def _get_choice(col: _Collector, m: _Map, key: str, what: str, choices: tuple[str, ...]) -> str | None:
    value = m.get(key)
    if value not in choices:
        col.add(
            m.line_of(key),
            f"unknown {key} {value!r}{_where(what)}; use one of: {', '.join(choices)}",
        )
        return None
    return value


def _get_date(col: _Collector, m: _Map, key: str, what: str, *, allow_none: bool) -> dt.date | None:
    value = m.get(key)
    if value is None:
        if not allow_none:
            col.add(m.line_of(key), f"'{key}'{_where(what)} must be a date (YYYY-MM-DD)")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    col.add(m.line_of(key), f"'{key}'{_where(what)} must be a date (YYYY-MM-DD), got {value!r}")
    return None


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, str):
        return f"the text {value!r}"
    return repr(value)


def _get_list(col: _Collector, m: _Map, key: str, what: str) -> list[Any]:
    value = m.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        col.add(m.line_of(key), f"'{key}'{_where(what)} must be a list, got {_kind_of(value)}")
        return []
    return value


def _as_map(col: _Collector, value: Any, line: int, what: str) -> _Map | None:
    if not isinstance(value, _Map):
        col.add(line, f"{what} must be a mapping of keys to values, got {value!r}")
        return None
    return value


def _str_list(col: _Collector, m: _Map, key: str, what: str) -> tuple[str, ...]:
    out: list[str] = []
    for item in _get_list(col, m, key, what):
        if not isinstance(item, str) or not item.strip():
            col.add(m.line_of(key), f"every entry of '{key}'{_where(what)} must be text, got {item!r}")
            continue
        out.append(item.strip())
    return tuple(out)


# ---------------------------------------------------------------------------
# Section parsers
# ---------------------------------------------------------------------------

_TOP_REQUIRED = (
    "schema_version",
    "code",
    "name",
    "version",
    "inspectorate",
    "kind",
    "valid_from",
    "valid_to",
    "source",
    "notes",
    "grade_scale",
    "areas",
    "rules",
    "milestones",
)
_TOP_OPTIONAL = ("short_name", "themes")


def _parse_sources(col: _Collector, doc: _Map) -> tuple[SourceDef, ...]:
    out = []
    items = _get_list(col, doc, "source", "")
    if isinstance(doc.get("source"), list) and not items:
        col.add(doc.line_of("source"), "'source' must list at least one {title, url}")
    for item in items:
        m = _as_map(col, item, doc.line_of("source"), "a source entry")
        if m is None or not _check_keys(col, m, "source entry", ("title", "url")):
            continue
        title = _get_str(col, m, "title", "source entry")
        url = _get_str(col, m, "url", "source entry")
        if url and not url.startswith(("http://", "https://")):
            col.add(m.line_of("url"), f"source url must start with http:// or https://, got {url!r}")
        if title and url:
            out.append(SourceDef(title=title, url=url))
    return tuple(out)


def _parse_grade_scale(col: _Collector, doc: _Map) -> GradeScaleDef | None:
    raw = doc.get("grade_scale")
    if raw is None:
        return None
    m = _as_map(col, raw, doc.line_of("grade_scale"), "'grade_scale'")
    if m is None or not _check_keys(col, m, "grade_scale", ("code", "grades")):
        return None
    code = _get_str(col, m, "code", "grade_scale")
    grades: list[GradeDef] = []
    seen: dict[str, int] = {}
    items = _get_list(col, m, "grades", "grade_scale")
    if len(items) < 2:
        col.add(m.line_of("grades"), "a grade scale needs at least two grades, listed best first")
    for item in items:
        g = _as_map(col, item, m.line_of("grades"), "a grade")
        if g is None or not _check_keys(col, g, "grade", ("code", "label", "rank"), ("aliases",)):
            continue
        gcode = _get_str(col, g, "code", "grade")
        label = _get_str(col, g, "label", "grade")
        rank = _get_int(col, g, "rank", "grade")
        aliases = _str_list(col, g, "aliases", "grade")
        if gcode is None or label is None or rank is None:
            continue
        if not _SNAKE_RE.match(gcode):
            col.add(g.line_of("code"), f"grade code {gcode!r} must be snake_case")
        if gcode in seen:
            col.add(g.line_of("code"), f"duplicate grade code '{gcode}' (first on line {seen[gcode]})")
            continue
        seen[gcode] = g.line_of("code")
        expected = len(grades) + 1
        if rank != expected:
            col.add(
                g.line_of("rank"),
                f"grade '{gcode}' has rank {rank}; grades are listed best first, so it should be {expected}",
            )
        grades.append(GradeDef(code=gcode, label=label, rank=rank, aliases=aliases))
    if code is None:
        return None
    return GradeScaleDef(code=code, grades=tuple(grades))


@dataclass
class _RawArea:
    code: str
    name: str
    kind: str
    graded: bool
    limits_overall: bool
    criteria: tuple[str, ...]
    parent: str | None
    index: int  # order of appearance in the file
    lines: _Map = field(repr=False)


def _parse_areas(col: _Collector, doc: _Map, scale: GradeScaleDef | None) -> tuple[AreaDef, ...]:
    raws: list[_RawArea] = []
    first_line: dict[str, int] = {}

    def walk(items: list[Any], parent: str | None, line: int) -> None:
        for item in items:
            m = _as_map(col, item, line, "an area")
            if m is None:
                continue
            ok = _check_keys(
                col,
                m,
                "area",
                ("code", "name", "kind", "graded"),
                ("limits_overall", "criteria", "children", "parent"),
            )
            code = _get_str(col, m, "code", "area")
            name = _get_str(col, m, "name", "area")
            kind = _get_choice(col, m, "kind", "area", AREA_KINDS) if "kind" in m else None
            graded = _get_bool(col, m, "graded", "area", False)
            limits = _get_bool(col, m, "limits_overall", "area", False)
            criteria = _str_list(col, m, "criteria", "area")
            own_parent = m.get("parent")
            if "parent" in m:
                if parent is not None:
                    col.add(
                        m.line_of("parent"),
                        f"area {code!r} is nested under '{parent}' and must not also give 'parent'",
                    )
                elif own_parent is not None and not isinstance(own_parent, str):
                    col.add(m.line_of("parent"), f"'parent' must be an area code, got {own_parent!r}")
                    own_parent = None
            effective_parent = parent if parent is not None else own_parent
            children = _get_list(col, m, "children", "area")
            if code is not None:
                if not _SNAKE_RE.match(code):
                    col.add(
                        m.line_of("code"), f"area code {code!r} must be snake_case (e.g. help_and_protection)"
                    )
                if code in first_line:
                    col.add(
                        m.line_of("code"),
                        f"duplicate area code '{code}' (first defined on line {first_line[code]})",
                    )
                else:
                    first_line[code] = m.line_of("code")
                    if ok and name is not None and kind is not None:
                        raws.append(
                            _RawArea(
                                code=code,
                                name=name,
                                kind=kind,
                                graded=graded,
                                limits_overall=limits,
                                criteria=criteria,
                                parent=effective_parent,
                                index=len(raws),
                                lines=m,
                            )
                        )
                if graded and scale is None:
                    col.add(
                        m.line_of("graded"),
                        f"area '{code}' is graded but the framework has no grade scale (grade_scale: null)",
                    )
                if limits and not graded:
                    col.add(
                        m.line_of("limits_overall"),
                        f"area '{code}' has limits_overall: true but is not graded",
                    )
                if kind == "overall" and effective_parent is not None:
                    col.add(m.line_of("kind"), f"overall area '{code}' must be at the top of the tree")
            walk(children, code, m.line_of("children"))

    items = _get_list(col, doc, "areas", "")
    if isinstance(doc.get("areas"), list) and not items:
        col.add(doc.line_of("areas"), "'areas' must list at least one area")
    walk(items, None, doc.line_of("areas"))

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


def _parse_themes(col: _Collector, doc: _Map) -> tuple[ThemeDef, ...]:
    out: list[ThemeDef] = []
    seen: dict[str, int] = {}
    for item in _get_list(col, doc, "themes", ""):
        m = _as_map(col, item, doc.line_of("themes"), "a theme")
        if m is None or not _check_keys(col, m, "theme", ("code", "name", "period"), ("from", "to", "notes")):
            continue
        code = _get_str(col, m, "code", "theme")
        if code is not None:
            if not _SNAKE_RE.match(code):
                col.add(m.line_of("code"), f"theme code {code!r} must be snake_case")
            if code in seen:
                col.add(m.line_of("code"), f"duplicate theme code '{code}' (first on line {seen[code]})")
                code = None
            else:
                seen[code] = m.line_of("code")
        name = _get_str(col, m, "name", "theme")
        period = _get_str(col, m, "period", "theme")
        start = _get_date(col, m, "from", "theme", allow_none=True)
        end = _get_date(col, m, "to", "theme", allow_none=True)
        notes = _get_str(col, m, "notes", "theme", default="") if m.get("notes") else ""
        if start and end and end < start:
            col.add(m.line_of("to"), f"theme 'to' ({end}) is before 'from' ({start})")
        if None in (code, name, period):
            continue
        out.append(
            ThemeDef(
                code=code,  # type: ignore[arg-type]
                name=name,  # type: ignore[arg-type]
                period=period,  # type: ignore[arg-type]
                period_from=start,
                period_to=end,
                notes=notes or "",
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


def _parse_document(col: _Collector, doc: Any, path: Path) -> FrameworkDef | None:
    if not isinstance(doc, _Map):
        col.add(1, "a framework file must be a YAML mapping (key: value pairs) at the top level")
        return None
    complete = _check_keys(col, doc, "", _TOP_REQUIRED, _TOP_OPTIONAL)

    schema = doc.get("schema_version")
    if "schema_version" in doc and schema != SCHEMA_VERSION:
        col.add(doc.line_of("schema_version"), f"schema_version must be {SCHEMA_VERSION}, got {schema!r}")
    code = _get_str(col, doc, "code", "") if "code" in doc else None
    if code is not None:
        if not _FRAMEWORK_CODE_RE.match(code):
            col.add(doc.line_of("code"), f"framework code {code!r} must be lower-case words joined by '-'")
        if path.stem != code:
            col.add(doc.line_of("code"), f"framework code '{code}' must match the file name ('{path.stem}')")
    name = _get_str(col, doc, "name", "") if "name" in doc else None
    short_name = _get_str(col, doc, "short_name", "") if "short_name" in doc else name
    version = _get_int(col, doc, "version", "") if "version" in doc else None
    if version is not None and version < 1:
        col.add(doc.line_of("version"), f"version must be 1 or more, got {version}")
    inspectorate = _get_str(col, doc, "inspectorate", "") if "inspectorate" in doc else None
    kind = _get_choice(col, doc, "kind", "", FRAMEWORK_KINDS) if "kind" in doc else None
    valid_from = _get_date(col, doc, "valid_from", "", allow_none=False) if "valid_from" in doc else None
    valid_to = _get_date(col, doc, "valid_to", "", allow_none=True) if "valid_to" in doc else None
    if valid_from and valid_to and valid_to < valid_from:
        col.add(doc.line_of("valid_to"), f"valid_to ({valid_to}) is before valid_from ({valid_from})")
    notes = doc.get("notes")
    if "notes" in doc and not isinstance(notes, str):
        col.add(doc.line_of("notes"), "'notes' must be text (it may be empty)")
        notes = None
    sources = _parse_sources(col, doc)
    scale = _parse_grade_scale(col, doc)
    areas = _parse_areas(col, doc, scale)
    by_code = {a.code: a for a in areas}
    rules, rule_lines = _parse_rules(col, doc, scale, by_code)
    _check_limits_consistency(col, doc, areas, rules, rule_lines, _area_lines(doc))
    milestones = _parse_milestones(col, doc, scale, by_code)
    themes = _parse_themes(col, doc)

    if not complete or col.problems:
        return None
    return FrameworkDef(
        schema_version=schema,  # type: ignore[arg-type]
        code=code,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        short_name=short_name,  # type: ignore[arg-type]
        version=version,  # type: ignore[arg-type]
        inspectorate=inspectorate,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        valid_from=valid_from,  # type: ignore[arg-type]
        valid_to=valid_to,
        sources=sources,
        notes=(notes or "").strip(),
        grade_scale=scale,
        areas=areas,
        rules=rules,
        milestones=milestones,
        themes=themes,
        path=str(path),
    )


def _load(path: Path) -> tuple[FrameworkDef | None, list[str]]:
    col = _Collector(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        col.add(1, f"cannot read file: {exc}")
        return None, col.problems
    loader = _LineLoader(text)
    try:
        doc = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        col.add(line, f"YAML syntax error: {exc.problem or exc}")
        return None, col.problems
    except yaml.YAMLError as exc:
        col.add(1, f"YAML error: {exc}")
        return None, col.problems
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        col.add(line, f"duplicate key {key!r} in the same mapping")
    framework = _parse_document(col, doc, path)
    # Report in file order; sorted() is stable, so problems on one line keep their order.
    problems = sorted(col.problems, key=lambda p: int(p[len(col.path) + 1 :].split(":", 1)[0]))
    return (framework if not problems else None), problems


# ---------------------------------------------------------------------------
# Public loading API
# ---------------------------------------------------------------------------


def load_file(path: str | Path) -> FrameworkDef:
    """Load and validate one framework file; raise FrameworkFileError listing every problem."""
    framework, problems = _load(Path(path))
    if problems or framework is None:
        raise FrameworkFileError(problems or [f"{path}:1: could not load framework"])
    return framework


def load_dir(path: str | Path = FRAMEWORKS_DIR) -> list[FrameworkDef]:
    """Load every ``*.yaml``/``*.yml`` file in ``path``, sorted by code; all valid or FrameworkFileError."""
    directory = Path(path)
    if not directory.is_dir():
        raise FrameworkFileError([f"{directory}:0: not a directory"])
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    problems: list[str] = []
    loaded: list[FrameworkDef] = []
    for file in files:
        framework, file_problems = _load(file)
        problems.extend(file_problems)
        if framework is not None:
            loaded.append(framework)
    # Cross-file checks: codes are unique; a shared grade scale code means the same scale.
    first_by_code: dict[str, FrameworkDef] = {}
    scales: dict[str, FrameworkDef] = {}
    for fw in loaded:
        if fw.code in first_by_code:
            problems.append(
                f"{fw.path}:1: framework code '{fw.code}' is also used by {first_by_code[fw.code].path}"
            )
        else:
            first_by_code[fw.code] = fw
        if fw.grade_scale is not None:
            other = scales.get(fw.grade_scale.code)
            if other is None:
                scales[fw.grade_scale.code] = fw
            elif other.grade_scale != fw.grade_scale:
                problems.append(
                    f"{fw.path}:1: grade scale '{fw.grade_scale.code}' differs from the one with the same "
                    f"code in {other.path}; give a changed scale a new code"
                )
    if problems:
        raise FrameworkFileError(problems)
    return sorted(loaded, key=lambda f: f.code)


# ---------------------------------------------------------------------------
# Serialisation (the inverse of loading: dumping and reloading gives an equal FrameworkDef)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Checking a set of judgements against a framework
# ---------------------------------------------------------------------------


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
