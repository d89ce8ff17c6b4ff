"""Working-day arithmetic from the command line (England and Wales plus local changes).

    python manage.py workingdays add 2019-03-27 70              -> 2019-07-09
    python manage.py workingdays between 2019-03-01 2019-04-01  -> 21
    python manage.py workingdays add 2019-03-27 70 --explain    -> answer, then one
                                                                   "YYYY-MM-DD Name" line per
                                                                   skipped bank holiday/closure

``add START N``: the N-th working day strictly after START (START is day 0; N may
be negative or 0).  ``between A B``: working days strictly after A up to and
including B (negative if B is before A).  Bad dates or N print one line on
stderr and exit with status 2.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inspections import working_days

_INT_RE = re.compile(r"[+-]?\d+")


def _calendar(stderr) -> working_days.Calendar:
    """Return the council's calendar (DB overrides) or the plain England and Wales one.

    If the overrides table cannot be read (e.g. migrations not run yet), warn on
    stderr and use the plain calendar so the answer still prints.
    """
    try:
        from inspections.selectors import working_calendar
    except ImportError:
        return working_days.default_calendar()
    try:
        return working_calendar()
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        stderr.write(f"warning: local calendar changes not read ({first_line}); using bank holidays only")
        return working_days.default_calendar()


def _date(text: str, what: str):
    try:
        return working_days.parse_iso_date(text)
    except ValueError as exc:
        raise CommandError(f"{what}: {exc}", returncode=2) from None


def _int(text: str, what: str) -> int:
    if not _INT_RE.fullmatch(text.strip()):
        raise CommandError(f"{what}: not a whole number: {text!r}", returncode=2)
    return int(text)


class Command(BaseCommand):
    help = "Add working days to a date, or count working days between two dates (England and Wales)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True, metavar="{add,between}")
        add = sub.add_parser("add", help="START + N working days (START is day 0)")
        add.add_argument("start", help="YYYY-MM-DD")
        add.add_argument("n", help="number of working days (may be negative)")
        add.add_argument("--explain", action="store_true", help="also list skipped bank holidays/closures")
        between = sub.add_parser("between", help="working days after A up to and including B")
        between.add_argument("a", help="YYYY-MM-DD")
        between.add_argument("b", help="YYYY-MM-DD")
        between.add_argument(
            "--explain", action="store_true", help="also list skipped bank holidays/closures"
        )

    def handle(self, *args, **options):
        operation = options["operation"]
        if operation == "add":
            start = _date(options["start"], "START")
            n = _int(options["n"], "N")
            compute = lambda cal: working_days.explain_add(start, n, cal)  # noqa: E731
        else:
            a = _date(options["a"], "A")
            b = _date(options["b"], "B")
            compute = lambda cal: working_days.explain_between(a, b, cal)  # noqa: E731
        try:
            explanation = compute(_calendar(self.stderr))
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        result = explanation.result
        self.stdout.write(result.isoformat() if operation == "add" else str(result))
        if options["explain"]:
            for line in explanation.lines():
                self.stdout.write(line)
