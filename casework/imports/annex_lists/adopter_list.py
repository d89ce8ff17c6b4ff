"""Read Annex A list 11 (adopter households): not about children, its sheets are read and
checked into `AnnexLists.adopters` (problems in sheet terms, like the rest) and written by
`casework/imports/adopters.py` in the import's transaction.
"""

from __future__ import annotations

from casework.imports import values
from casework.imports.annex_lists.layouts import (
    ADOPTER_TWICE,
    BAD_CHILDREN,
    BAD_HOUSEHOLD,
    BAD_REFERENCE,
    HOUSEHOLD_TYPES,
    LONG_REASON,
    NO_REFERENCE,
    NO_REFERENCE_COLUMN,
    PERSONAL,
    SAME_COLUMN,
    SLOTS,
    key,
)
from casework.imports.annex_lists.lists import (
    ADOPTERS,
    ALIASES,
)
from casework.imports.annex_lists.rows import (
    _PII,
    _category,
    _text,
)
from casework.imports.columns import header_key
from casework.imports.problems import CellError, Problem
from casework.models import AdopterHousehold, adopter_date_problems, normalise_adopter_reference


def _adopter_value(name: str, cell: object, dates: tuple[str, ...]) -> object:
    """One list 11 cell as the model holds it; raise CellError with a plain-English message."""
    if name in dates:
        return values.parse_date(cell)
    shown = values.text(cell)
    if name == "reference":
        if not values.CHILD_ID_PATTERN.match(shown.upper()):
            raise CellError(BAD_REFERENCE.format(shown=f"'{shown[:40]}'"))
        return shown
    if name == "household_type":
        folded = key(_category(shown))
        if folded not in HOUSEHOLD_TYPES:
            raise CellError(BAD_HOUSEHOLD.format(shown=f"'{shown[:40]}'"))
        return HOUSEHOLD_TYPES[folded]
    if name == "children_approved_for":
        if not shown.isdigit() or not 1 <= int(shown) <= 10:
            raise CellError(BAD_CHILDREN.format(shown=f"'{shown[:40]}'"))
        return int(shown)
    if len(shown) > 100:
        raise CellError(LONG_REASON)
    return shown


class AdopterListReading:
    """The list 11 half of `AnnexLists`: read an adopters sheet into `adopters`."""

    # -- list 11: adopter households, one row each ------------------------------------------------

    def _read_adopters(self, index: int, sheet) -> None:
        """Check every row of an adopters sheet into `adopters`; problems name sheet, row and column."""
        title = sheet.title
        rows = sheet.iter_rows(values_only=True, max_col=200)
        header = next(rows, None) or ()
        table = ALIASES[ADOPTERS]
        positions: dict[str, int] = {}
        labels: dict[str, str] = {}
        bad = False
        for position, cell in enumerate(header):
            shown = str(cell if cell is not None else "").strip()
            if not shown:
                continue
            item = table.get(key(shown))
            if item is None or item.kind == "ignored":
                if item is None and _PII.search(header_key(shown)):
                    bad = True
                    self._problem(
                        index, 1, Problem(PERSONAL.format(shown=shown), row=1, column=shown, sheet=title)
                    )
                else:
                    self.ignored.setdefault(shown, []).append(title)
                continue
            if item.name in positions:
                bad = True
                self._problem(
                    index,
                    1,
                    Problem(
                        SAME_COLUMN.format(shown=shown, known=labels[item.name]),
                        row=1,
                        column=shown,
                        sheet=title,
                    ),
                )
                continue
            positions[item.name], labels[item.name] = position, shown
        if "reference" not in positions:
            bad = True
            self._problem(index, 1, Problem(NO_REFERENCE_COLUMN, row=1, sheet=title))
        if bad:
            return
        slot_of = {name: min(position + 1, SLOTS - 1) for name, position in positions.items()}
        dates = AdopterHousehold.date_fields()
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
                continue
            self.data_rows += 1
            row_problems: list[tuple[str, str]] = []
            record: dict[str, object] = {}
            for name, position in positions.items():
                raw = cells[position] if position < len(cells) else None
                shown = _text(raw) if isinstance(raw, str) else raw
                if values.text(shown) == "":
                    if name == "reference":
                        row_problems.append((name, NO_REFERENCE))
                    continue
                try:
                    record[name] = _adopter_value(name, shown, dates)
                except CellError as error:
                    row_problems.append((name, str(error)))
            if "reference" in record:
                record["reference"] = normalise_adopter_reference(record["reference"])
            if not row_problems:
                row_problems.extend(adopter_date_problems({name: record.get(name) for name in dates}).items())
            for name, message in row_problems:
                self._problem(
                    index,
                    number,
                    Problem(message, row=number, column=labels[name], sheet=title),
                    slot_of[name],
                )
            if row_problems:
                continue
            reference = record.pop("reference")
            earlier = self.adopters.get(reference)
            if earlier is not None:
                if earlier[2] != record:
                    self._problem(
                        index,
                        number,
                        Problem(
                            ADOPTER_TWICE.format(reference=reference, row=earlier[1]),
                            row=number,
                            column=labels["reference"],
                            sheet=title,
                        ),
                        slot_of["reference"],
                    )
                continue
            self.adopters[reference] = (title, number, record)
        # What we already hold, with the file's dates over it, must still be in order.
        held = {
            household.reference: household
            for household in AdopterHousehold.objects.filter(reference__in=list(self.adopters))
        }
        for reference, (where, number, record) in self.adopters.items():
            if where != title or reference not in held:
                continue
            merged = {name: record.get(name, getattr(held[reference], name)) for name in dates}
            for name, message in adopter_date_problems(merged).items():
                column = name if name in record else next((n for n in dates if n in record), "reference")
                self._problem(
                    index,
                    number,
                    Problem(
                        f"{message} (the earlier date is the one we already hold for {reference})",
                        row=number,
                        column=labels[column],
                        sheet=title,
                    ),
                    slot_of[column],
                )
