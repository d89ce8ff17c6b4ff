"""python manage.py export_annex_a --as-of YYYY-MM-DD --out PATH.xlsx

Write the Annex A workbook (lists 1–11, Validation, and a hidden Case list that import_cases reads).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from casework.annex_a import annex_a_write


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2026-03-31, not '{text}'") from None


class Command(BaseCommand):
    help = "Export the Annex A workbook (lists 1–11 and a Validation sheet) as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, type=_date, help="The date of the return (YYYY-MM-DD).")
        parser.add_argument("--out", required=True, help="Where to write the .xlsx file.")

    def handle(self, *args, as_of: dt.date, out: str, **options):
        if not out.lower().endswith(".xlsx"):
            raise CommandError("--out must name an .xlsx file")
        counts = annex_a_write(as_of=as_of, out=out)
        for sheet, count in counts.items():
            self.stdout.write(f"{sheet}: {count} row{'s' if count != 1 else ''}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} (as of {as_of.isoformat()})."))
