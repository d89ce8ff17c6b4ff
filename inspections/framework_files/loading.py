"""Loading framework files: one document, one file, or a directory with its cross-file checks.

Every problem is reported as ``"path:line: message"``. All problems in all files are collected
before anything is raised, so a caller either gets every framework or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .definitions import (
    _FRAMEWORK_CODE_RE,
    FRAMEWORK_KINDS,
    FRAMEWORKS_DIR,
    SCHEMA_VERSION,
    FrameworkDef,
    FrameworkFileError,
)
from .parsing import (
    _check_keys,
    _Collector,
    _get_choice,
    _get_date,
    _get_int,
    _get_str,
    _parse_grade_scale,
    _parse_sources,
    _parse_themes,
    _read_areas,
)
from .validation import (
    _area_lines,
    _build_area_tree,
    _check_limits_consistency,
    _parse_milestones,
    _parse_rules,
)
from .yaml_lines import _LineLoader, _Map

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
    raw_areas, area_first_lines = _read_areas(col, doc, scale)
    areas = _build_area_tree(col, doc, raw_areas, area_first_lines)
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
