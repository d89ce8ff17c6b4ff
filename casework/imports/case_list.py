"""Pass 1 of a case-list import: read every row, collect every problem, and build a plan.

Nothing here touches the database. The plan holds one entry per child, episode, placement and
event, so repeated columns (one row per event repeats the child's details) collapse into one record;
two rows that disagree about the same record are a problem, not a silent last-one-wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from casework.imports import values
from casework.imports.columns import HeaderMap, header_map
from casework.imports.problems import CellError, Problem
from casework.imports.reader import NO_HEADER, NO_ROWS

MAX_PROBLEMS_KEPT = 10_000
DATE_SHOWN = "%d/%m/%Y"


@dataclass
class Problems:
    """Every problem found, keeping the first MAX_PROBLEMS_KEPT but counting them all."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS_KEPT:
            self.items.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class Plan:
    """What the file says, one entry per record, with the row each came from."""

    children: dict[str, dict] = field(default_factory=dict)
    episodes: dict[tuple, dict] = field(default_factory=dict)
    placements: dict[tuple, dict] = field(default_factory=dict)
    events: dict[tuple, int] = field(default_factory=dict)
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)


# column name -> (parser, field on the record it fills)
CHILD_FIELDS: dict[str, Callable] = {
    "gender": values.parse_gender,
    "ethnicity": values.parse_ethnicity,
    "disability": values.parse_yes_no,
    "uasc": values.parse_yes_no,
}


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime(DATE_SHOWN)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):  # (year, month) of birth
        return f"{value[1]:02d}/{value[0]}"
    return str(value)


class _Row:
    """One data row being read: its cells by column name, and the problems it has."""

    def __init__(self, number: int, cells: list, header: HeaderMap, problems: Problems) -> None:
        self.number = number
        self.cells = cells
        self.header = header
        self.problems = problems
        self.bad = False

    def raw(self, name: str):
        position = self.header.index.get(name)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def has(self, name: str) -> bool:
        return values.text(self.raw(name)) != ""

    def problem(self, name: str | None, message: str) -> None:
        self.bad = True
        self.problems.add(Problem(message, row=self.number, column=self.header.label(name) if name else None))

    def read(self, name: str, parser: Callable):
        if name not in self.header.index:
            return None
        try:
            return parser(self.raw(name))
        except CellError as error:
            self.problem(name, str(error))
            return None


def read_case_list(rows: Iterable[tuple[int, list]]) -> tuple[Plan, Problems]:
    """Read the header and every data row; return the plan and all problems found."""
    plan = Plan()
    problems = Problems()
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        problems.add(Problem(NO_HEADER))
        return plan, problems
    _, header_cells = first
    header, header_problems = header_map(header_cells)
    plan.ignored_columns = header.ignored
    for problem in header_problems:
        problems.add(problem)
    if problems:
        return plan, problems
    seen_rows: dict[bytes, int] = {}
    for number, cells in iterator:
        plan.rows += 1
        _read_row(_Row(number, cells, header, problems), plan, seen_rows)
    if plan.rows == 0:
        problems.add(Problem(NO_ROWS))
    return plan, problems


def _read_row(row: _Row, plan: Plan, seen_rows: dict[bytes, int]) -> None:
    signature = hashlib.blake2b(
        "\x1f".join(values.text(cell).casefold() for cell in row.cells).encode(), digest_size=16
    ).digest()
    if signature in seen_rows:
        row.problem(None, f"this row repeats row {seen_rows[signature]} exactly; delete one of them")
        return
    seen_rows[signature] = row.number

    child_id = row.read("child_id", values.parse_child_id)
    child_values = {name: row.read(name, parser) for name, parser in CHILD_FIELDS.items()}
    child_values["birth"] = row.read("date_of_birth", values.parse_month_year)
    episode = _read_episode(row)
    placement = _read_placement(row)
    event = _read_event(row)
    if row.bad or child_id is None:
        return

    child = plan.children.setdefault(child_id, {"row": row.number, "fields": {}, "rows": {}})
    for name, value in child_values.items():
        if value is None:
            continue
        known = child["fields"].get(name)
        if known is not None and known != value:
            column = "date_of_birth" if name == "birth" else name
            row.problem(
                column,
                f"'{_shown(value)}' differs from '{_shown(known)}' on row {child['rows'][name]} "
                f"for child {child_id}; a child has one {row.header.label(column)}",
            )
        elif known is None:
            child["fields"][name] = value
            child["rows"][name] = row.number

    if episode:
        key = (child_id, episode["cohort"], episode["start_on"])
        _merge(row, plan.episodes, key, episode, ("end_on", "legal_status"), "episode")
    if placement:
        key = (child_id, placement["start_on"])
        _merge(row, plan.placements, key, placement, ("placement_type", "in_area", "end_on"), "placement")
    if event:
        key = (child_id, event["kind"], event["occurred_on"], event["value"])
        if key in plan.events:
            row.problem(
                "event_type",
                f"the same event ({event['kind']} on {_shown(event['occurred_on'])}) is already on "
                f"row {plan.events[key]} for child {child_id}; delete one of them",
            )
        else:
            plan.events[key] = row.number


_FIELD_COLUMN = {
    "end_on": {"episode": "episode_end", "placement": "placement_end"},
    "legal_status": {"episode": "legal_status"},
    "placement_type": {"placement": "placement_type"},
    "in_area": {"placement": "placement_in_area"},
}


def _merge(row: _Row, records: dict, key: tuple, new: dict, fields: tuple[str, ...], what: str) -> None:
    """Fold a row's view of a record into the plan; blanks never overwrite, differences are problems."""
    record = records.get(key)
    if record is None:
        records[key] = {**new, "row": row.number}
        return
    for name in fields:
        value, known = new.get(name), record.get(name)
        if value in (None, ""):
            continue
        if known in (None, ""):
            record[name] = value
        elif known != value:
            column = _FIELD_COLUMN[name][what]
            row.problem(
                column,
                f"'{_shown(value)}' differs from '{_shown(known)}' on row {record['row']} for the same "
                f"{what} (child {key[0]}, starting {_shown(new['start_on'])})",
            )


def _read_episode(row: _Row) -> dict | None:
    cohort = row.read("cohort", values.parse_cohort)
    start = row.read("episode_start", values.parse_date)
    end = row.read("episode_end", values.parse_date)
    legal = row.read("legal_status", lambda v: values.short_text(v, limit=20).upper())
    if cohort and not start and not row.has("episode_start"):
        row.problem("episode_start", "the episode start date is missing; a row with a cohort needs one")
    if (start or end or legal) and not cohort and not row.has("cohort"):
        row.problem("cohort", "the cohort is missing; the row has episode dates but no cohort")
    if start and end and end < start:
        row.problem("episode_end", f"the episode ends ({_shown(end)}) before it starts ({_shown(start)})")
    if cohort and start:
        return {"cohort": cohort, "start_on": start, "end_on": end, "legal_status": legal or ""}
    return None


def _read_placement(row: _Row) -> dict | None:
    kind = row.read("placement_type", values.parse_placement_type)
    in_area = row.read("placement_in_area", values.parse_yes_no)
    start = row.read("placement_start", values.parse_date)
    end = row.read("placement_end", values.parse_date)
    if kind:
        if in_area is None and not row.has("placement_in_area"):
            row.problem("placement_in_area", "say whether the placement is in the council's area (yes or no)")
        if not start and not row.has("placement_start"):
            row.problem("placement_start", "the placement start date is missing")
    elif (in_area is not None or start or end) and not row.has("placement_type"):
        row.problem("placement_type", "the placement type is missing; the row has other placement details")
    if start and end and end < start:
        row.problem("placement_end", f"the placement ends ({_shown(end)}) before it starts ({_shown(start)})")
    if kind and start and in_area is not None:
        return {"placement_type": kind, "in_area": in_area, "start_on": start, "end_on": end}
    return None


def _read_event(row: _Row) -> dict | None:
    kind = row.read("event_type", values.parse_event_kind)
    occurred = row.read("event_date", values.parse_date)
    value = row.read("event_value", values.short_text) or ""
    if kind and not occurred and not row.has("event_date"):
        row.problem("event_date", "the event date is missing; a row with an event type needs one")
    if (occurred or value) and not kind and not row.has("event_type"):
        row.problem("event_type", "the event type is missing; the row has an event date or value")
    if kind and occurred:
        return {"kind": kind, "occurred_on": occurred, "value": value}
    return None
