"""Pass 1 on PostgreSQL: validate rows in one streaming pass into a temporary staging table.

Each row is read by the same `RowReader` as the in-memory path, then written (good rows with their
clean values, bad rows with only their number and signature) to a temporary table with `COPY`, one
batch of BATCH_ROWS at a time, so memory stays flat whatever the file size. Cell problems go to a
second temporary table. The checks that need the whole file — a row repeating another, two rows
disagreeing about one child, episode or placement, the same event twice — run in SQL on the staging
table, with the same messages as `case_list.read_case_list`.

Everything happens inside the caller's transaction: the tables are dropped on commit, and a
rollback (any problem, a dry run, a crash) takes them away with everything else.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from casework.imports import case_list
from casework.imports.case_list import (
    FIELD_COLUMN,
    NO_PROBLEMS,
    Problems,
    RowReader,
    read_header,
    row_signature,
)
from casework.imports.columns import HeaderMap
from casework.imports.problems import CellError, Problem
from casework.imports.progress import PROGRESS_ROWS, ImportProgress, current
from casework.imports.reader import NO_ROWS

BATCH_ROWS = 5_000
STAGE = "casework_import_stage"
PROBLEM = "casework_import_problem"
# One table per record type: the file's view of each record, folded set-wise from the stage.
CHILD = "casework_import_child"
EPISODE = "casework_import_episode"
PLACEMENT = "casework_import_placement"
EVENT = "casework_import_event"
TABLES = (STAGE, PROBLEM, CHILD, EPISODE, PLACEMENT, EVENT)

STAGE_COLUMNS = (
    "row integer NOT NULL, sig uuid NOT NULL, ok boolean NOT NULL, dup_of integer, "
    "child_id text, gender text, ethnicity text, disability boolean, uasc boolean, birth integer, "
    "cohort text, episode_start date, episode_end date, legal_status text, "
    "placement_type text, placement_in_area boolean, placement_start date, placement_end date, "
    "event_type text, event_date date, event_value text"
)
PROBLEM_COLUMNS = "row integer, seq integer NOT NULL, col text, message text NOT NULL"
NULL = "\\N"
BAD_ROW_TAIL = "\tf\t\\N" + "\t\\N" * 17 + "\n"


@dataclass
class StagedPlan:
    """The file's records, held in temporary tables of the current transaction."""

    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")


def _text(value: str | None) -> str:
    """Return a value in COPY's text format."""
    if value is None:
        return NULL
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    # PostgreSQL text cannot hold NUL; the messages that quote a cell show it as U+FFFD.
    return value.replace("\x00", "\ufffd")


def _bool(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


def _date(value) -> str:
    return NULL if value is None else value.isoformat()


def _child_text(child: tuple) -> str:
    child_id, gender, ethnicity, disability, uasc, birth = child
    birth_text = NULL if birth is None else str(birth[0] * 100 + birth[1])
    return (
        f"{_text(child_id)}\t{_text(gender)}\t{_text(ethnicity)}\t{_bool(disability)}\t{_bool(uasc)}\t"
        f"{birth_text}\t"
    )


def _episode_text(episode: tuple | None) -> str:
    if episode is None:
        return "\\N\t\\N\t\\N\t\\N\t"
    cohort, start, end, legal = episode
    return f"{_text(cohort)}\t{start.isoformat()}\t{_date(end)}\t{_text(legal) if legal else NULL}\t"


def _placement_text(placement: tuple | None) -> str:
    if placement is None:
        return "\\N\t\\N\t\\N\t\\N\t"
    kind, in_area, start, end = placement
    return f"{_text(kind)}\t{_bool(in_area)}\t{start.isoformat()}\t{_date(end)}\t"


def _event_text(event: tuple | None) -> str:
    if event is None:
        return "\\N\t\\N\t\\N\n"
    kind, occurred, value = event
    return f"{_text(kind)}\t{occurred.isoformat()}\t{_text(value)}\n"


# The staging text of each group of columns, in STAGE_COLUMNS order after `dup_of`.
STAGE_FORMATS = (_child_text, _episode_text, _placement_text, _event_text)


# Room for the folds and the history CTEs to work in memory; SET LOCAL ends with the transaction.
WORK_MEM = "64MB"


def _create_tables(cursor) -> None:
    cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({STAGE_COLUMNS}) ON COMMIT DROP")
    cursor.execute(f"CREATE TEMPORARY TABLE {PROBLEM} ({PROBLEM_COLUMNS}) ON COMMIT DROP")


class _Loader:
    """Buffer staging lines and problems, sending each full batch with COPY."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.lines: list[str] = []
        self.problems: list[str] = []

    def problem(self, row: int | None, seq: int, problem: Problem) -> None:
        column = NULL if problem.column is None else _text(problem.column)
        self.problems.append(f"{NULL if row is None else row}\t{seq}\t{column}\t{_text(problem.message)}\n")
        if len(self.problems) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.cursor.copy_expert(f"COPY {STAGE} FROM STDIN", io.StringIO("".join(self.lines)))
            self.lines.clear()
        if self.problems:
            self.cursor.copy_expert(f"COPY {PROBLEM} FROM STDIN", io.StringIO("".join(self.problems)))
            self.problems.clear()


def _event_reader(header: HeaderMap, generic: Callable) -> Callable:
    """Return the event group's staging reader, with a fast path for the common row.

    Almost every row of an event list gives a new (type, date, value), so the group's memory rarely
    helps; each cell, though, repeats. This remembers, per column, the staging text of each good,
    non-blank text cell (a blank value is good too), and gives a row whose three cells are all known
    its text at once — exactly what the generic reader gives for it, since a row with an event type
    and a date has no combination problem. Anything else (a blank or bad type or date, a workbook
    cell, a short row) goes to the generic reader, which also teaches this one the cells it parsed.
    """
    positions = [header.index.get(name) for name, _ in case_list.EVENT_COLUMNS]
    if None in positions:
        return generic
    kind_at, date_at, value_at = positions
    (_, parse_kind), (_, parse_date), (_, parse_value) = case_list.EVENT_COLUMNS
    kinds: dict[str, str] = {}
    dates: dict[str, str] = {}
    texts: dict[str, str] = {}

    def learn(memo: dict, raw, parse: Callable, shown: Callable) -> None:
        if type(raw) is not str or raw in memo:
            return
        try:
            value = parse(raw)
        except CellError:
            return
        if value is None:  # a blank type or date: the generic reader decides what that means
            return
        if len(memo) >= case_list.CELL_CACHE_SIZE:
            memo.clear()
        memo[raw] = shown(value)

    def read(cells: list) -> tuple:
        try:
            return (
                None,
                NO_PROBLEMS,
                f"{kinds[cells[kind_at]]}\t{dates[cells[date_at]]}\t{texts[cells[value_at]]}\n",
            )
        except (KeyError, IndexError, TypeError):
            pass
        if len(cells) > max(positions):
            learn(kinds, cells[kind_at], parse_kind, _text)
            learn(dates, cells[date_at], parse_date, date.isoformat)
            learn(texts, cells[value_at], parse_value, _text)
        return generic(cells)

    return read


def read_case_list_staged(
    rows: Iterable[tuple[int, list]], progress: ImportProgress | None = None
) -> tuple[StagedPlan, Problems]:
    """Read the header and every data row into staging tables; return the plan and every problem.

    The caller must hold a transaction (the tables live in it). Problems are the same, in the same
    order, as `read_case_list` gives for the same rows. `progress`, if given, hears how many rows
    have been read at the start, every PROGRESS_ROWS rows and at the end (by default, the progress
    of the import running here, if any: `progress.reporting`).
    """
    progress = progress if progress is not None else current()
    plan = StagedPlan()
    problems = Problems()
    iterator, header = read_header(rows, problems)
    if header is not None:
        plan.ignored_columns = header.ignored
    if iterator is None:
        return plan, problems
    reader = RowReader(header, formats=STAGE_FORMATS)
    child, episode, placement, event = reader.groups
    event = _event_reader(header, event)
    strip, blake2b = str.strip, hashlib.blake2b
    with connection.cursor() as cursor:
        _create_tables(cursor)
        loader = _Loader(cursor)
        lines = loader.lines
        append = lines.append
        count = 0
        if progress is not None:
            progress.checking(0)
        for number, cells in iterator:
            count += 1
            # The row's signature, as case_list.row_signature gives it, inlined for text rows.
            try:
                signature = blake2b(
                    "\x1f".join(map(strip, cells)).casefold().encode(), digest_size=16
                ).hexdigest()
            except TypeError:  # a workbook row: numbers, dates, None
                signature = row_signature(cells).hex()
            c, e, p, v = child(cells), episode(cells), placement(cells), event(cells)
            if c[1] or e[1] or p[1] or v[1] or c[0][0] is None:
                append(f"{number}\t{signature}{BAD_ROW_TAIL}")
                for seq, problem in enumerate(reader.problems(number, cells)):
                    loader.problem(number, seq, problem)
            else:
                append(f"{number}\t{signature}\tt\t\\N\t{c[2]}{e[2]}{p[2]}{v[2]}")
            if not count % BATCH_ROWS:
                loader.flush()
            if progress is not None and not count % PROGRESS_ROWS:
                progress.checking(count)
        loader.flush()
        plan.rows = count
        if progress is not None:
            progress.checking(count)
        if plan.rows == 0:
            problems.add(Problem(NO_ROWS))
            return plan, problems
        _check(cursor, header)
        _collect(cursor, problems)
    return plan, problems


# Rows that count: read without a problem and not a repeat of an earlier row.
GOOD = "s.ok AND s.dup_of IS NULL"


def _check(cursor, header: HeaderMap) -> None:
    """Mark repeated rows and fold the good rows into one row per record, recording disagreements."""
    cursor.execute("SELECT 1 FROM casework_import_stage GROUP BY sig HAVING count(*) > 1 LIMIT 1")
    if cursor.fetchone():
        # A repeated row is reported as such and nothing else: it is never read further.
        cursor.execute(
            """UPDATE casework_import_stage s SET dup_of = d.first FROM (
                    SELECT row, min(row) OVER (PARTITION BY sig) AS first FROM casework_import_stage
                ) d WHERE s.row = d.row AND d.first < d.row"""
        )
        cursor.execute(
            """DELETE FROM casework_import_problem p USING casework_import_stage s
                WHERE p.row = s.row AND s.dup_of IS NOT NULL"""
        )
        cursor.execute(
            """INSERT INTO casework_import_problem (row, seq, col, message)
                SELECT row, 0, NULL, 'this row repeats row ' || dup_of || ' exactly; delete one of them'
                FROM casework_import_stage WHERE dup_of IS NOT NULL"""
        )
    cursor.execute(
        """CREATE TEMPORARY TABLE casework_import_child ON COMMIT DROP AS
            SELECT s.child_id, min(s.gender) AS gender, max(s.gender) AS gender_2,
                min(s.ethnicity) AS ethnicity, max(s.ethnicity) AS ethnicity_2,
                bool_and(s.disability) AS disability, bool_or(s.disability) AS disability_2,
                bool_and(s.uasc) AS uasc, bool_or(s.uasc) AS uasc_2,
                min(s.birth) AS birth, max(s.birth) AS birth_2
            FROM casework_import_stage s WHERE s.ok AND s.dup_of IS NULL GROUP BY s.child_id"""
    )
    cursor.execute(
        """CREATE TEMPORARY TABLE casework_import_episode ON COMMIT DROP AS
            SELECT s.child_id, s.cohort, s.episode_start AS start_on, min(s.row) AS row,
                min(s.episode_end) AS end_on, max(s.episode_end) AS end_on_2,
                min(s.legal_status) AS legal_status, max(s.legal_status) AS legal_status_2
            FROM casework_import_stage s WHERE s.ok AND s.dup_of IS NULL AND s.cohort IS NOT NULL
            GROUP BY s.child_id, s.cohort, s.episode_start"""
    )
    cursor.execute(
        """CREATE TEMPORARY TABLE casework_import_placement ON COMMIT DROP AS
            SELECT s.child_id, s.placement_start AS start_on, min(s.row) AS row,
                min(s.placement_type) AS placement_type, max(s.placement_type) AS placement_type_2,
                bool_and(s.placement_in_area) AS in_area, bool_or(s.placement_in_area) AS in_area_2,
                min(s.placement_end) AS end_on, max(s.placement_end) AS end_on_2
            FROM casework_import_stage s WHERE s.ok AND s.dup_of IS NULL AND s.placement_type IS NOT NULL
            GROUP BY s.child_id, s.placement_start"""
    )
    cursor.execute(
        """CREATE TEMPORARY TABLE casework_import_event ON COMMIT DROP AS
            SELECT s.child_id, s.event_type AS kind, s.event_date AS occurred_on, s.event_value AS value,
                min(s.row) AS row, count(*) AS rows
            FROM casework_import_stage s WHERE s.ok AND s.dup_of IS NULL AND s.event_type IS NOT NULL
            GROUP BY s.child_id, s.event_type, s.event_date, s.event_value"""
    )
    _disagreements(cursor, header)


def _shown(kind: str, expression: str) -> str:
    """SQL giving a value as the user reads it (as case_list._shown does)."""
    if kind == "date":
        return f"to_char({expression}, 'DD/MM/YYYY')"
    if kind == "bool":
        return f"CASE WHEN {expression} THEN 'yes' ELSE 'no' END"
    if kind == "birth":
        return f"lpad(mod({expression}, 100)::text, 2, '0') || '/' || ({expression} / 100)::text"
    return expression


# (seq, staging column, folded column, kind, column the problem is reported in)
CHILD_CHECKS = (
    (1, "gender", "gender", "text", "gender"),
    (2, "ethnicity", "ethnicity", "text", "ethnicity"),
    (3, "disability", "disability", "bool", "disability"),
    (4, "uasc", "uasc", "bool", "uasc"),
    (5, "birth", "birth", "birth", "date_of_birth"),
)
EPISODE_CHECKS = (
    (6, "episode_end", "end_on", "date", FIELD_COLUMN["end_on"]["episode"]),
    (7, "legal_status", "legal_status", "text", FIELD_COLUMN["legal_status"]["episode"]),
)
PLACEMENT_CHECKS = (
    (8, "placement_type", "placement_type", "text", FIELD_COLUMN["placement_type"]["placement"]),
    (9, "placement_in_area", "in_area", "bool", FIELD_COLUMN["in_area"]["placement"]),
    (10, "placement_end", "end_on", "date", FIELD_COLUMN["end_on"]["placement"]),
)
EVENT_SEQ = 11


def _disagreements(cursor, header: HeaderMap) -> None:
    """Record, for every row, each value that differs from the first one given for its record.

    The folded tables show at once whether a record has two different values (the smallest and
    largest differ); only then are the rows behind it looked at. The statements are built from
    this module's own table and column names; the user's header labels are parameters.
    """
    label = header.label
    for seq, column, folded, kind, reported in CHILD_CHECKS:
        shown_label = label(reported)
        cursor.execute(
            f"""INSERT INTO {PROBLEM} (row, seq, col, message)
                SELECT s.row, %s, %s, '''' || {_shown(kind, "s." + column)} || ''' differs from '''
                    || {_shown(kind, "f.value")} || ''' on row ' || f.row || ' for child ' || s.child_id
                    || '; a child has one ' || %s
                FROM {STAGE} s JOIN (
                    SELECT DISTINCT ON (s.child_id) s.child_id, s.row, s.{column} AS value
                    FROM {STAGE} s JOIN {CHILD} c ON c.child_id = s.child_id
                    WHERE {GOOD} AND c.{folded} IS DISTINCT FROM c.{folded}_2 AND s.{column} IS NOT NULL
                    ORDER BY s.child_id, s.row
                ) f ON f.child_id = s.child_id
                WHERE {GOOD} AND s.{column} IS NOT NULL AND s.{column} <> f.value""",  # noqa: S608  # nosec B608
            [seq, shown_label, shown_label],
        )
    for table, key, checks, what, start in (
        (EPISODE, ("cohort", "episode_start"), EPISODE_CHECKS, "episode", "episode_start"),
        (PLACEMENT, ("placement_start",), PLACEMENT_CHECKS, "placement", "placement_start"),
    ):
        folded_key = ("cohort", "start_on") if what == "episode" else ("start_on",)
        join = " AND ".join(
            ["r.child_id = s.child_id"] + [f"r.{f} = s.{c}" for f, c in zip(folded_key, key, strict=True)]
        )
        partition = ", ".join(["s.child_id"] + [f"s.{c}" for c in key])
        for seq, column, folded, kind, reported in checks:
            cursor.execute(
                f"""INSERT INTO {PROBLEM} (row, seq, col, message)
                    SELECT s.row, %s, %s, '''' || {_shown(kind, "s." + column)} || ''' differs from '''
                        || {_shown(kind, "f.value")} || ''' on row ' || f.record_row
                        || ' for the same {what} (child ' || s.child_id || ', starting '
                        || to_char(s.{start}, 'DD/MM/YYYY') || ')'
                    FROM {STAGE} s JOIN (
                        SELECT DISTINCT ON ({partition}) {partition}, s.{column} AS value,
                            r.row AS record_row
                        FROM {STAGE} s JOIN {table} r ON {join}
                        WHERE {GOOD} AND r.{folded} IS DISTINCT FROM r.{folded}_2 AND s.{column} IS NOT NULL
                        ORDER BY {partition}, s.row
                    ) f ON f.child_id = s.child_id AND {" AND ".join(f"f.{c} = s.{c}" for c in key)}
                    WHERE {GOOD} AND s.{column} IS NOT NULL AND s.{column} <> f.value""",  # noqa: S608  # nosec B608
                [seq, label(reported)],
            )
    cursor.execute(
        """INSERT INTO casework_import_problem (row, seq, col, message)
            SELECT s.row, %s, %s, 'the same event (' || s.event_type || ' on '
                || to_char(s.event_date, 'DD/MM/YYYY') || ') is already on row ' || e.row
                || ' for child ' || s.child_id || '; delete one of them'
            FROM casework_import_stage s JOIN casework_import_event e ON e.child_id = s.child_id
                AND e.kind = s.event_type AND e.occurred_on = s.event_date AND e.value = s.event_value
            WHERE s.ok AND s.dup_of IS NULL AND e.rows > 1 AND s.row > e.row""",
        [EVENT_SEQ, label("event_type")],
    )


def _collect(cursor, problems: Problems) -> None:
    """Read the problems back in row order: the first MAX_PROBLEMS_KEPT, and how many in all."""
    cursor.execute("SELECT count(*) FROM casework_import_problem")
    total = cursor.fetchone()[0]
    if not total:
        return
    cursor.execute(
        "SELECT row, col, message FROM casework_import_problem ORDER BY row NULLS FIRST, seq LIMIT %s",
        [case_list.MAX_PROBLEMS_KEPT],
    )
    problems.items.extend(
        Problem(message, row=row, column=column) for row, column, message in cursor.fetchall()
    )
    problems.total += total
