"""The top-level reader of an Annex A workbook read per list (`AnnexLists`, `open_lists`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casework.imports import values
from casework.imports.annex_lists.adopter_list import (
    AdopterListReading,
)
from casework.imports.annex_lists.layouts import (
    HEADER,
    MAX_SHEETS,
    MISSING_MAIN_DATE,
    NEEDS_COLUMN,
    NO_DATA_ROWS,
    NO_WORKER,
    PERSONAL,
    SAME_COLUMN,
    SHEET_SPAN,
    SKIP_EMPTY,
    SKIP_UNKNOWN,
    SKIP_VALIDATION,
    SKIPPED,
    SLOTS,
    WIDTH,
    WORKER_NAME,
    Episode,
    Event,
    ListSpec,
    Placement,
    key,
)
from casework.imports.annex_lists.lists import (
    ADOPTERS,
    ALIASES,
    COMMON_LABELS,
)
from casework.imports.annex_lists.rows import (
    _PERSON_NAME,
    _PII,
    _ROW_REF,
    Binding,
    Digests,
    _category,
    _date_key,
    _digest,
    _in_area,
    _text,
)
from casework.imports.annex_lists.sheets import (
    CASE_LIST_KEYS,
    allocation_supported,
    identify,
)
from casework.imports.columns import header_key
from casework.imports.problems import CellError, FileRefused, Problem

TEAM_ALLOCATION = "team_allocation"


class AnnexLists(AdopterListReading):
    """The rows of a workbook read per list, and how to turn problems back into sheet terms."""

    def __init__(
        self,
        workbook,
        sheets: list[tuple[object, ListSpec]],
        skipped: list[str],
        adopter_sheets: list[object] | None = None,
    ) -> None:
        self.workbook = workbook
        self.sheets = sheets
        self.adopter_sheets = adopter_sheets or []
        # List 11: {reference: (sheet, row, {field: value})}, blank cells left out; written by
        # casework/imports/adopters.py in the import's transaction.
        self.adopters: dict[str, tuple[str, int, dict]] = {}
        self.skipped = skipped
        self.bindings: list[Binding] = []
        self.problems: list[tuple[int, Problem]] = []
        self.ignored: dict[str, list[str]] = {}
        self.data_rows = 0
        self.seen = Digests()
        self.allocations = allocation_supported()

    # -- reading -------------------------------------------------------------------------------

    def rows(self, merged) -> Iterator[tuple[int, list]]:
        """Yield the importer's header, then its rows for every list sheet, sheet by sheet.

        Adopter sheets (list 11) are read first, into `adopters`, while the workbook is open.
        """
        for position, sheet in enumerate(self.adopter_sheets):
            self._refuse_merged(sheet, merged)
            self._read_adopters(MAX_SHEETS + position, sheet)
        yield 1, list(HEADER)
        for index, (sheet, spec) in enumerate(self.sheets):
            if index >= MAX_SHEETS:
                self._problem(
                    index,
                    None,
                    Problem(
                        f"the workbook has more than {MAX_SHEETS} list sheets; import it in parts",
                        sheet=sheet.title,
                    ),
                )
                break
            self._refuse_merged(sheet, merged)
            yield from self._sheet_rows(index, sheet, spec)

    @staticmethod
    def _refuse_merged(sheet, merged) -> None:
        ranges = merged(sheet)
        if ranges:
            raise FileRefused(
                *(
                    Problem(
                        f"cells {ref} are merged; unmerge them so that every value sits in its own cell",
                        row=row,
                        sheet=sheet.title,
                    )
                    for row, ref in ranges
                )
            )

    def _problem(self, index: int, row: int | None, problem: Problem, slot: int = 0) -> None:
        order = index * SHEET_SPAN + (row or 0) * SLOTS + slot
        self.problems.append((order, problem))

    def _bind(self, index: int, title: str, spec: ListSpec, header: list) -> Binding | None:
        binding = Binding(index=index, title=title, spec=spec)
        table = ALIASES[spec.number]
        bad = False
        for position, cell in enumerate(header):
            shown = str(cell if cell is not None else "").strip()
            if not shown:
                continue
            item = table.get(key(shown))
            if item is None:
                if _PII.search(header_key(shown)):
                    bad = True
                    self._problem(
                        index,
                        1,
                        Problem(
                            PERSONAL.format(shown=shown),
                            row=1,
                            column=shown,
                            sheet=title,
                        ),
                    )
                else:
                    self.ignored.setdefault(shown, []).append(title)
                continue
            if item.name in binding.positions:
                bad = True
                self._problem(
                    index,
                    1,
                    Problem(
                        SAME_COLUMN.format(shown=shown, known=binding.labels[item.name]),
                        row=1,
                        column=shown,
                        sheet=title,
                    ),
                )
                continue
            if item.kind == "ignored" or (item.kind == "worker" and not self.allocations):
                self.ignored.setdefault(shown, []).append(title)
            binding.positions[item.name] = position
            binding.labels[item.name] = shown
        if "child_id" not in binding.positions:
            bad = True
            self._problem(
                index,
                1,
                Problem(
                    "there is no Child ID column; name one of the headers 'Child ID', 'Child unique ID'",
                    row=1,
                    sheet=title,
                ),
            )
        needed = (
            spec.required
            or {
                5: ("strategy", "s47_start", "icpc"),
                9: ("since", "contact_date"),
                10: ("decision", "placement_order", "placed", "adoption_order", "reversed"),
            }[spec.number]
        )
        if not any(name in binding.positions for name in needed):
            bad = True
            fields = {f.name: f for f in spec.fields}
            names = " or ".join(f"'{fields[name].label}'" for name in needed)
            aliases = ", ".join(f"'{a}'" for a in fields[needed[0]].aliases[:2])
            self._problem(
                index,
                1,
                Problem(
                    NEEDS_COLUMN.format(names=names, aliases=aliases),
                    row=1,
                    sheet=title,
                ),
            )
        if bad:
            return None
        self._plan_facts(binding)
        return binding

    def _plan_facts(self, binding: Binding) -> None:
        """Decide which facts this sheet can give, and where each one's problems point."""
        has, label = binding.positions, binding.label
        binding.columns.append(
            {
                "Child ID": label("child_id"),
                "Date of birth": label("date_of_birth"),
                "Gender": label("gender"),
                "Ethnicity": label("ethnicity"),
                "Disability": label("disability"),
                "UASC": label("uasc"),
            }
        )
        facts = list(binding.spec.facts)
        if self.allocations and "worker" in has:
            # An allocation needs its own date: the indicators count a child for the worker of the
            # latest allocation on or before a day, so a guessed date would move caseloads (and the
            # worker on a list is usually today's, not the one at the list's main date).
            if "allocation_date" in has:
                facts.append(Event("allocation", ("allocation_date",), ("worker",)))
            else:
                self.ignored.setdefault(label("worker"), []).append(
                    f"{binding.title}: no {COMMON_LABELS['allocation_date']} column to date it"
                )
        if "team" in has:
            # A team needs its own date too, for the same reason: the team shown is the child's
            # team now. A Team date column dates it; else the Allocation date does (the team of the
            # allocated worker, since that allocation); else it is not imported.
            dated_by = next((name for name in ("team_date", "allocation_date") if name in has), None)
            if dated_by:
                facts.append(Event(TEAM_ALLOCATION, (dated_by,), ("team",)))
            else:
                self.ignored.setdefault(label("team"), []).append(
                    f"{binding.title}: no {COMMON_LABELS['team_date']} or "
                    f"{COMMON_LABELS['allocation_date']} column to date it"
                )
        for fact in facts:
            if isinstance(fact, Episode):
                if fact.start not in has:
                    continue
                columns = {
                    "Cohort": label(fact.start),
                    "Episode start": label(fact.start),
                    "Episode end": label(fact.end) if fact.end in has else label(fact.start),
                    "Legal status": label(fact.legal) if fact.legal in has else label(fact.start),
                }
            elif isinstance(fact, Placement):
                if fact.kind not in has:
                    continue
                if fact.start not in has:
                    for name in (fact.kind, fact.in_area):
                        if name in has:
                            self.ignored.setdefault(label(name), []).append(
                                f"{binding.title}: no placement start date column"
                            )
                    continue
                columns = {
                    "Placement type": label(fact.kind),
                    "Placement in area": label(fact.in_area) if fact.in_area in has else label(fact.kind),
                    "Placement start": label(fact.start),
                    "Placement end": label(fact.end) if fact.end in has else label(fact.start),
                }
            else:
                present = [name for name in fact.dates if name in has]
                if not present:
                    for name in fact.value:
                        if name in has and fact.kind in ("care_leaver_accommodation", "care_leaver_eet"):
                            self.ignored.setdefault(label(name), []).append(
                                f"{binding.title}: no date for it on this list"
                            )
                    continue
                value = next((name for name in fact.value if name in has), None)
                columns = {
                    "Event type": label(present[0]),
                    "Event date": label(present[0]),
                    "Event value": label(value) if value else label(present[0]),
                }
            binding.facts.append(fact)
            binding.columns.append(columns)

    def _sheet_rows(self, index: int, sheet, spec: ListSpec) -> Iterator[tuple[int, list]]:
        rows = sheet.iter_rows(values_only=True, max_col=200)
        header = next(rows, None)
        if header is None:
            return
        binding = self._bind(index, sheet.title, spec, list(header))
        if binding is None:
            return
        self.bindings.append(binding)
        base = index * SHEET_SPAN
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
                continue
            self.data_rows += 1
            cells = list(cells)
            for slot, row in self._expand(binding, number, cells):
                yield base + number * SLOTS + slot, row

    def _expand(self, binding: Binding, number: int, cells: list) -> Iterator[tuple[int, list]]:
        positions, count = binding.positions, len(cells)

        def cell(name: str | None) -> object:
            if name is None:
                return None
            position = positions.get(name)
            if position is None or position >= count:
                return None
            value = cells[position]
            return _text(value) if isinstance(value, str) else value

        def blank(name: str | None) -> bool:
            return values.text(cell(name)) == ""

        child_id = cell("child_id")
        child_key = values.text(child_id).upper()
        child = [
            child_id,
            cell("date_of_birth"),
            _category(cell("gender")),
            _category(cell("ethnicity")),
            _category(cell("disability")),
            _category(cell("uasc")),
        ]
        row = child + [None] * (WIDTH - 6)
        if self._new(("c", child_key, *(values.text(v).casefold() for v in child[1:]))):
            yield 0, row
        for slot, fact in enumerate(binding.facts, start=1):
            if isinstance(fact, Episode):
                if blank(fact.start):
                    if fact.start in binding.spec.required:
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                MISSING_MAIN_DATE,
                                row=number,
                                column=binding.label(fact.start),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                    continue
                start, end, legal = cell(fact.start), cell(fact.end), _text(cell(fact.legal) or "")
                out = [child_id] + [None] * (WIDTH - 1)
                out[6], out[7], out[8], out[9] = fact.cohort, start, end, legal
                parts = ("e", child_key, fact.cohort, _date_key(start), _date_key(end), legal.casefold())
            elif isinstance(fact, Placement):
                if blank(fact.kind) and blank(fact.start) and blank(fact.in_area) and blank(fact.end):
                    continue
                kind, in_area = _category(cell(fact.kind)), _in_area(cell(fact.in_area))
                start, end = cell(fact.start), cell(fact.end)
                out = [child_id] + [None] * (WIDTH - 1)
                out[10], out[11], out[12], out[13] = kind, in_area, start, end
                parts = (
                    "p",
                    child_key,
                    values.text(kind).casefold(),
                    values.text(in_area).casefold(),
                    _date_key(start),
                    _date_key(end),
                )
            else:
                occurred = next((cell(name) for name in fact.dates if not blank(name)), None)
                value_name = next((name for name in fact.value if name in positions), None)
                raw = cell(value_name)
                if fact.nfa:
                    try:
                        value = "NFA" if values.parse_yes_no(_category(raw)) else ""
                    except CellError as error:
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                str(error), row=number, column=binding.label(value_name), sheet=binding.title
                            ),
                            slot,
                        )
                        continue
                elif fact.kind == TEAM_ALLOCATION:
                    value = raw if raw is not None else ""  # a name as written: no codes to strip
                    if not values.text(value):
                        continue  # no team on this row: nothing to date
                else:
                    value = _category(raw) if raw is not None else ""
                if fact.kind == "allocation":
                    shown = values.text(value)
                    if not shown:
                        continue
                    if shown.lower() not in NO_WORKER and _PERSON_NAME.match(shown):
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                WORKER_NAME.format(value=f"'{shown[:40]}'"),
                                row=number,
                                column=binding.label("worker"),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                        continue
                if values.text(occurred) == "":
                    if fact.dates[0] in binding.spec.required:  # the list's main date (lists 1, 3, 4)
                        self._problem(
                            binding.index,
                            number,
                            Problem(
                                MISSING_MAIN_DATE,
                                row=number,
                                column=binding.label(fact.dates[0]),
                                sheet=binding.title,
                            ),
                            slot,
                        )
                    continue  # else a value with no date to hang it on (an In touch with no contact date)
                out = [child_id] + [None] * (WIDTH - 1)
                out[14], out[15], out[16] = fact.kind, occurred, value
                parts = ("v", child_key, fact.kind, _date_key(occurred), values.text(value).casefold())
            if self._new(parts):
                yield slot, out

    def _new(self, parts: tuple) -> bool:
        return self.seen.add(_digest(parts))

    # -- after reading -------------------------------------------------------------------------

    def _where(self, number: int) -> str | None:
        index, rest = divmod(number, SHEET_SPAN)
        if number < 2 * SLOTS or index >= len(self.sheets):
            return None
        binding = next((b for b in self.bindings if b.index == index), None)
        if binding is None:
            return None
        return f"{binding.title}, row {rest // SLOTS}"

    def _place(self, problem: Problem) -> tuple[int, Problem]:
        if problem.row is None or problem.sheet is not None:
            return (0, problem)
        number = problem.row
        index, rest = divmod(number, SHEET_SPAN)
        binding = next((b for b in self.bindings if b.index == index), None)
        if binding is None or number < 2 * SLOTS:
            return (number, problem)
        row, slot = divmod(rest, SLOTS)

        def reference(match: re.Match) -> str:
            where = self._where(int(match.group(1)))
            return where if where else match.group(0)

        message = _ROW_REF.sub(reference, problem.message)
        return number, Problem(
            message, row=row, column=binding.place(slot, problem.column), sheet=binding.title
        )

    def finish(self, plan, problems) -> None:
        """Put every problem in sheet terms, add this reader's own, and count sheet rows, not ours."""
        from casework.imports.reader import NO_ROWS

        placed: list[tuple[int, Problem]] = []
        dropped = 0
        for problem in problems.items:
            if problem.row is None and problem.message == NO_ROWS:
                dropped += 1
                continue
            placed.append(self._place(problem))
        placed.extend(self.problems)
        placed.sort(key=lambda item: item[0])
        seen: set[tuple] = set()
        items = []
        for _, problem in placed:
            identity = (problem.sheet, problem.row, problem.column, problem.message)
            if identity in seen:
                dropped += 1
                continue
            seen.add(identity)
            items.append(problem)
        total = problems.total - dropped + len(self.problems)
        if self.data_rows == 0 and total == 0:
            items.append(Problem(NO_DATA_ROWS))
            total = 1
        problems.items[:] = items
        problems.total = total
        plan.rows = self.data_rows
        plan.ignored_columns = [
            f"{column} ({'; '.join(dict.fromkeys(where))})" for column, where in self.ignored.items()
        ]

    @property
    def skipped_sheets(self) -> list[str]:
        return list(self.skipped)


def open_lists(workbook) -> AnnexLists | None:
    """Return the per-list reader when the workbook has Annex A list sheets, else None.

    Reads only each sheet's first row here (to identify it); hidden sheets are ignored.
    """
    sheets: list[tuple[object, ListSpec]] = []
    adopter_sheets: list[object] = []
    skipped: list[str] = []
    named = False
    for position, sheet in enumerate(workbook.worksheets):
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        header = next(sheet.iter_rows(values_only=True, max_row=1, max_col=200), None)
        header = list(header) if header else []
        if position == 0 and CASE_LIST_KEYS & {key(cell) for cell in header}:
            return None  # the first sheet is a case list in our own layout, whatever its name
        by_name = identify(sheet.title, None)
        spec = by_name or identify(sheet.title, header)
        if by_name is not None:
            named = True
        if key(sheet.title) == "validation":
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_VALIDATION))
        elif spec is None:
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_UNKNOWN))
        elif spec.skip:
            skipped.append(SKIPPED.format(title=sheet.title, reason=spec.skip))
        elif not any(cell not in (None, "") for cell in header):
            skipped.append(SKIPPED.format(title=sheet.title, reason=SKIP_EMPTY))
        elif spec.number == ADOPTERS:
            adopter_sheets.append(sheet)
        else:
            sheets.append((sheet, spec))
    if not named and len(sheets) + len(adopter_sheets) < 2:
        return None  # at most one sheet that looks like a list, by its headers alone: a case list
    return AnnexLists(workbook, sheets, skipped, adopter_sheets)
