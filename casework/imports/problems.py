"""A problem found in a file: where the user will find it, and what to do about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Problem:
    """One problem. `row` is the spreadsheet row the user sees (header = 1); None = whole file.

    `sheet` names the workbook sheet when a file is read sheet by sheet (an Annex A workbook read
    list by list); None for a case list, whose problems read exactly as before.
    """

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        """Return the command-line form: `row N, column X: message`.

        With a sheet: `List 3 Referrals, row 7, column "Referral date": message`.
        """
        if self.sheet is not None:
            if self.row is None:
                return f"{self.sheet}: {self.message}"
            if self.column is None:
                return f"{self.sheet}, row {self.row}: {self.message}"
            return f'{self.sheet}, row {self.row}, column "{self.column}": {self.message}'
        if self.row is None:
            return self.message
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, column {self.column}: {self.message}"

    @property
    def display(self) -> str:
        """Return the web form: `Row N, Column: message` (`Sheet, row N, Column: message`)."""
        if self.sheet is not None:
            if self.row is None:
                return f"{self.sheet}: {self.message}"
            if self.column is None:
                return f"{self.sheet}, row {self.row}: {self.message}"
            return f"{self.sheet}, row {self.row}, {self.column}: {self.message}"
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, {self.column}: {self.message}"

    def as_dict(self) -> dict:
        data = asdict(self)
        if data["sheet"] is None:
            del data["sheet"]  # stored problems of case lists keep their old shape
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(
            message=data["message"],
            row=data.get("row"),
            column=data.get("column"),
            sheet=data.get("sheet"),
        )


class FileRefused(Exception):
    """The file cannot be read at all (wrong type, too big, empty); carries the problems."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)
