"""Pass 1 of a case-list import: read every row, collect every problem, and build a plan.

Nothing here touches the database. `RowReader` reads one row's cells (shared with the PostgreSQL
staging path in `staging.py`); `read_case_list` folds the rows into a plan held in memory, used for
SQLite (the demo). The plan holds one entry per child, episode, placement and event, so repeated
columns (one row per event repeats the child's details) collapse into one record; two rows that
disagree about the same record are a problem, not a silent last-one-wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from casework.imports import values
from casework.imports.columns import HeaderMap, header_map
from casework.imports.problems import CellError, Problem
from casework.imports.progress import PROGRESS_ROWS, ImportProgress, current
from casework.imports.reader import NO_HEADER, NO_ROWS

MAX_PROBLEMS_KEPT = 10_000
DATE_SHOWN = "%d/%m/%Y"
# Each column remembers what its recent text values parse to (dates, codes and yes/no repeat on
# almost every row); the memory is cleared when it fills, so it stays small whatever the file size.
CELL_CACHE_SIZE = 4096


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


# column name -> parser, in the order a row's child details are read (and problems reported)
CHILD_FIELDS: dict[str, Callable] = {
    "gender": values.parse_gender,
    "ethnicity": values.parse_ethnicity,
    "disability": values.parse_yes_no,
    "uasc": values.parse_yes_no,
}


# The event group's columns and parsers (staging.py reads a common event row through them directly).
EVENT_COLUMNS: tuple[tuple[str, Callable], ...] = (
    ("event_type", values.parse_event_kind),
    ("event_date", values.parse_date),
    ("event_value", values.short_text),
)


def _legal_status(value: values.Cell) -> str:
    return values.short_text(value, limit=20).upper()


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime(DATE_SHOWN)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):  # (year, month) of birth
        return f"{value[1]:02d}/{value[0]}"
    return str(value)


def row_signature(cells: list) -> bytes:
    """Return a 16-byte digest of a row's cells, trimmed and case-folded: equal rows, equal digests."""
    try:
        joined = "\x1f".join(map(str.strip, cells))
    except (AttributeError, TypeError):  # a workbook row: numbers, dates, None
        joined = "\x1f".join([values.text(cell) for cell in cells])
    # casefold() maps each character on its own, so folding the joined text folds every cell.
    return hashlib.blake2b(joined.casefold().encode(), digest_size=16).digest()


class Record(NamedTuple):
    """One good row: the child's details, and the episode, placement and event it gives (or None)."""

    child_id: str
    gender: str | None
    ethnicity: str | None
    disability: bool | None
    uasc: bool | None
    birth: tuple[int, int] | None
    episode: tuple | None  # (cohort, start_on, end_on, legal_status)
    placement: tuple | None  # (placement_type, in_area, start_on, end_on)
    event: tuple | None  # (kind, occurred_on, value)


class _Bad:
    """A cell that cannot be read: what to tell the user."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


_MISSING = object()


def _remembering(parser: Callable) -> Callable:
    """Wrap a parser so that it returns the value or a _Bad, remembering answers for text cells."""
    cache: dict[str, object] = {}

    def parse(raw):
        if type(raw) is str:
            result = cache.get(raw, _MISSING)
            if result is _MISSING:
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                try:
                    result = parser(raw)
                except CellError as error:
                    result = _Bad(str(error))
                cache[raw] = result
            return result
        try:
            return parser(raw)
        except CellError as error:
            return _Bad(str(error))

    return parse


def _group(positions: list[int | None], compute: Callable) -> Callable:
    """Return a reader for a group of columns read together (child, episode, placement, event).

    What a group's cells give depends on those cells alone, so the answer — value, problems (column,
    message) and, for staging, its text — is remembered for text cells: one row per event repeats
    the child's and the episode's cells on every row. Cleared when full, like the cell memory.
    """
    present = [position for position in positions if position is not None]
    if not present:
        return compute
    if len(present) == 1:
        only = itemgetter(present[0])

        def key(cells: list) -> tuple:
            return (only(cells),)
    else:
        key = itemgetter(*present)
    cache: dict[tuple, tuple] = {}
    get = cache.get

    def read(cells: list) -> tuple:
        try:
            cells_key = key(cells)
            "".join(cells_key)  # text cells only: True == 1 as a key, but not as a cell
        except (IndexError, TypeError):
            return compute(cells)
        found = get(cells_key)
        if found is None:
            if len(cache) >= CELL_CACHE_SIZE:
                cache.clear()
            found = cache[cells_key] = compute(cells)
        return found

    return read


def _no_text(value) -> str:
    return ""


class RowReader:
    """Read one data row's cells: return a Record for a good row (None for a bad one) and its problems.

    Problems come out in the order the user reads the row: child details, then the episode, the
    placement and the event, each cell before the checks that combine cells. `formats` (one
    function per group, given the group's value) adds the group's text for a staging table.
    """

    def __init__(self, header: HeaderMap, formats: tuple[Callable, ...] | None = None) -> None:
        self.header = header
        index = header.index

        def columns(*specs: tuple[str, Callable]) -> list[tuple[str, int | None, Callable]]:
            return [(name, index.get(name), _remembering(parser)) for name, parser in specs]

        child = columns(
            ("child_id", values.parse_child_id),
            *CHILD_FIELDS.items(),
            ("date_of_birth", values.parse_month_year),
        )
        episode = columns(
            ("cohort", values.parse_cohort),
            ("episode_start", values.parse_date),
            ("episode_end", values.parse_date),
            ("legal_status", _legal_status),
        )
        placement = columns(
            ("placement_type", values.parse_placement_type),
            ("placement_in_area", values.parse_yes_no),
            ("placement_start", values.parse_date),
            ("placement_end", values.parse_date),
        )
        event = columns(*EVENT_COLUMNS)
        formats = formats or (_no_text,) * 4
        self.groups = [
            _group([position for _, position, _ in group], self._computer(group, check, text))
            for group, check, text in zip(
                (child, episode, placement, event),
                (_child, _episode, _placement, _event),
                formats,
                strict=True,
            )
        ]

    def _computer(self, group: list, check: Callable, text: Callable) -> Callable:
        def compute(cells: list) -> tuple:
            count = len(cells)
            found, problems = [], []
            for name, position, parse in group:
                if position is None:
                    found.append(None)
                    continue
                value = parse(cells[position] if position < count else None)
                if type(value) is _Bad:
                    problems.append((name, value.message))
                    value = None
                found.append(value)
            value = check(found, problems, has, cells)
            return value, problems, ("" if problems else text(value))

        has = self._has

        return compute

    def _has(self, cells: list, name: str) -> bool:
        position = self.header.index.get(name)
        if position is None or position >= len(cells):
            return False
        return values.text(cells[position]) != ""

    def _read(self, number: int, cells: list) -> tuple[tuple, list[Problem]]:
        child, episode, placement, event = self.groups
        parts = (child(cells), episode(cells), placement(cells), event(cells))
        if not (parts[0][1] or parts[1][1] or parts[2][1] or parts[3][1]):
            return parts, NO_PROBLEMS
        label = self.header.label
        problems = [
            Problem(message, row=number, column=label(name)) for part in parts for name, message in part[1]
        ]
        return parts, problems

    def problems(self, number: int, cells: list) -> list[Problem]:
        """Return a row's problems, in the order the user reads the row."""
        return self._read(number, cells)[1]

    def read(self, number: int, cells: list) -> tuple[Record | None, list[Problem]]:
        parts, problems = self._read(number, cells)
        child = parts[0][0]
        if problems or child[0] is None:
            return None, problems
        return Record(*child, parts[1][0], parts[2][0], parts[3][0]), problems

    def read_text(self, number: int, cells: list) -> tuple[str | None, list[Problem]]:
        """Return a good row's staging text (its groups' texts joined), or None, and the problems."""
        child, episode, placement, event = self.groups
        child, episode, placement, event = child(cells), episode(cells), placement(cells), event(cells)
        if child[1] or episode[1] or placement[1] or event[1] or child[0][0] is None:
            return None, self._read(number, cells)[1]
        return child[2] + episode[2] + placement[2] + event[2], NO_PROBLEMS


NO_PROBLEMS: list[Problem] = []  # shared by every good row: never added to


def _child(found: list, problems: list, has: Callable, cells: list) -> tuple:
    return tuple(found)  # child_id, gender, ethnicity, disability, uasc, birth


def _episode(found: list, problems: list, has: Callable, cells: list) -> tuple | None:
    cohort, start, end, legal = found
    if cohort is None and start is None and end is None and not legal:
        return None
    if cohort and not start and not has(cells, "episode_start"):
        problems.append(("episode_start", "the episode start date is missing; a row with a cohort needs one"))
    if (start or end or legal) and not cohort and not has(cells, "cohort"):
        problems.append(("cohort", "the cohort is missing; the row has episode dates but no cohort"))
    if start and end and end < start:
        problems.append(
            ("episode_end", f"the episode ends ({_shown(end)}) before it starts ({_shown(start)})")
        )
    if cohort and start:
        return (cohort, start, end, legal or "")
    return None


def _placement(found: list, problems: list, has: Callable, cells: list) -> tuple | None:
    kind, in_area, start, end = found
    if kind is None and in_area is None and start is None and end is None:
        return None
    if kind:
        if in_area is None and not has(cells, "placement_in_area"):
            problems.append(
                ("placement_in_area", "say whether the placement is in the council's area (yes or no)")
            )
        if not start and not has(cells, "placement_start"):
            problems.append(("placement_start", "the placement start date is missing"))
    elif (in_area is not None or start or end) and not has(cells, "placement_type"):
        problems.append(
            ("placement_type", "the placement type is missing; the row has other placement details")
        )
    if start and end and end < start:
        problems.append(
            ("placement_end", f"the placement ends ({_shown(end)}) before it starts ({_shown(start)})")
        )
    if kind and start and in_area is not None:
        return (kind, in_area, start, end)
    return None


def _event(found: list, problems: list, has: Callable, cells: list) -> tuple | None:
    kind, occurred, value = found
    value = value or ""
    if kind is None and occurred is None and not value:
        return None
    if kind and not occurred and not has(cells, "event_date"):
        problems.append(("event_date", "the event date is missing; a row with an event type needs one"))
    if (occurred or value) and not kind and not has(cells, "event_type"):
        problems.append(("event_type", "the event type is missing; the row has an event date or value"))
    if kind and occurred:
        return (kind, occurred, value)
    return None


def read_header(rows: Iterable[tuple[int, list]], problems: Problems):
    """Read the header row; return (iterator over the data rows, header map), or (None, None)."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        problems.add(Problem(NO_HEADER))
        return None, None
    _, header_cells = first
    header, header_problems = header_map(header_cells)
    for problem in header_problems:
        problems.add(problem)
    if problems:
        return None, header
    return iterator, header


def read_case_list(
    rows: Iterable[tuple[int, list]], progress: ImportProgress | None = None
) -> tuple[Plan, Problems]:
    """Read the header and every data row; return the plan and all problems found (kept in memory).

    `progress`, if given, hears how many rows have been read at the start, every PROGRESS_ROWS rows
    and at the end (by default, the progress of the import running here, if any:
    `progress.reporting`).
    """
    progress = progress if progress is not None else current()
    plan = Plan()
    problems = Problems()
    iterator, header = read_header(rows, problems)
    if header is not None:
        plan.ignored_columns = header.ignored
    if iterator is None:
        return plan, problems
    reader = RowReader(header)
    seen_rows: dict[bytes, int] = {}
    if progress is not None:
        progress.checking(0)
    for number, cells in iterator:
        plan.rows += 1
        _read_row(number, cells, reader, plan, problems, seen_rows)
        if progress is not None and not plan.rows % PROGRESS_ROWS:
            progress.checking(plan.rows)
    if progress is not None:
        progress.checking(plan.rows)
    if plan.rows == 0:
        problems.add(Problem(NO_ROWS))
    return plan, problems


def _read_row(number: int, cells: list, reader: RowReader, plan: Plan, problems: Problems, seen_rows) -> None:
    signature = row_signature(cells)
    if signature in seen_rows:
        problems.add(
            Problem(f"this row repeats row {seen_rows[signature]} exactly; delete one of them", row=number)
        )
        return
    seen_rows[signature] = number

    record, row_problems = reader.read(number, cells)
    for problem in row_problems:
        problems.add(problem)
    if record is None:
        return
    label = reader.header.label
    child_id = record.child_id

    def problem(name: str, message: str) -> None:
        problems.add(Problem(message, row=number, column=label(name)))

    child = plan.children.setdefault(child_id, {"row": number, "fields": {}, "rows": {}})
    child_values = {
        "gender": record.gender,
        "ethnicity": record.ethnicity,
        "disability": record.disability,
        "uasc": record.uasc,
        "birth": record.birth,
    }
    for name, value in child_values.items():
        if value is None:
            continue
        known = child["fields"].get(name)
        if known is not None and known != value:
            column = "date_of_birth" if name == "birth" else name
            problem(
                column,
                f"'{_shown(value)}' differs from '{_shown(known)}' on row {child['rows'][name]} "
                f"for child {child_id}; a child has one {label(column)}",
            )
        elif known is None:
            child["fields"][name] = value
            child["rows"][name] = number

    if record.episode:
        cohort, start, end, legal = record.episode
        episode = {"cohort": cohort, "start_on": start, "end_on": end, "legal_status": legal}
        _merge(
            number,
            problem,
            plan.episodes,
            (child_id, cohort, start),
            episode,
            ("end_on", "legal_status"),
            "episode",
        )
    if record.placement:
        kind, in_area, start, end = record.placement
        placement = {"placement_type": kind, "in_area": in_area, "start_on": start, "end_on": end}
        fields = ("placement_type", "in_area", "end_on")
        _merge(number, problem, plan.placements, (child_id, start), placement, fields, "placement")
    if record.event:
        kind, occurred, value = record.event
        key = (child_id, kind, occurred, value)
        if key in plan.events:
            problem(
                "event_type",
                f"the same event ({kind} on {_shown(occurred)}) is already on "
                f"row {plan.events[key]} for child {child_id}; delete one of them",
            )
        else:
            plan.events[key] = number


FIELD_COLUMN = {
    "end_on": {"episode": "episode_end", "placement": "placement_end"},
    "legal_status": {"episode": "legal_status"},
    "placement_type": {"placement": "placement_type"},
    "in_area": {"placement": "placement_in_area"},
}


def _merge(
    number: int, problem, records: dict, key: tuple, new: dict, fields: tuple[str, ...], what: str
) -> None:
    """Fold a row's view of a record into the plan; blanks never overwrite, differences are problems."""
    record = records.get(key)
    if record is None:
        records[key] = {**new, "row": number}
        return
    for name in fields:
        value, known = new.get(name), record.get(name)
        if value in (None, ""):
            continue
        if known in (None, ""):
            record[name] = value
        elif known != value:
            problem(
                FIELD_COLUMN[name][what],
                f"'{_shown(value)}' differs from '{_shown(known)}' on row {record['row']} for the same "
                f"{what} (child {key[0]}, starting {_shown(new['start_on'])})",
            )
