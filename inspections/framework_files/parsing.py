"""Building definitions from the loaded YAML mappings, reporting each problem as "path:line: message".

Rules and milestones, which refer to grades and areas, are parsed in ``validation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .definitions import (
    _SNAKE_RE,
    AREA_KINDS,
    GradeDef,
    GradeScaleDef,
    SourceDef,
    ThemeDef,
)
from .yaml_lines import _Map


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


def _read_areas(
    col: _Collector, doc: _Map, scale: GradeScaleDef | None
) -> tuple[list[_RawArea], dict[str, int]]:
    """Read the area entries, nested or flat, in file order; also return the first line of each code.

    validation._build_area_tree then checks parents and cycles and puts the areas in tree order.
    """
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
    return raws, first_line


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
