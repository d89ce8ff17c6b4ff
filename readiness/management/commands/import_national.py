"""Refresh the national picture from Ofsted's published outcomes and the local authority lookup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from readiness.national import demo_home_candidate, home_authority_get, home_authority_set, national_import

DATA_DIR = settings.BASE_DIR.parent / "shared" / "data"
DEFAULT_OUTCOMES = DATA_DIR / "ofsted_ilacs_outcomes.csv"
DEFAULT_LOOKUP = DATA_DIR / "la_lookup.csv"
FILE_MISSING = "Cannot import the national picture: {path} does not exist."


class Command(BaseCommand):
    help = (
        "Import published Ofsted outcomes and the local authority lookup. Safe to run again; "
        "rows that cannot be used are listed, never fatal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outcomes", type=Path, default=DEFAULT_OUTCOMES, help="Outcomes CSV.")
        parser.add_argument("--lookup", type=Path, default=DEFAULT_LOOKUP, help="Local authority lookup CSV.")
        parser.add_argument("--quiet-rows", action="store_true", help="Print counts only, not each row.")
        parser.add_argument(
            "--demo-home",
            action="store_true",
            help="If no home authority is chosen yet, let the demo council borrow a real one's history.",
        )

    def handle(self, *args, outcomes: Path, lookup: Path, quiet_rows=False, demo_home=False, **options):
        for path in (outcomes, lookup):
            if not Path(path).is_file():
                self.stderr.write(FILE_MISSING.format(path=path))
                raise SystemExit(2)
        run = national_import(outcomes_path=outcomes, lookup_path=lookup)
        self.stdout.write(
            self.style.SUCCESS(
                f"National import {run.pk}: {run.authorities_imported} local authorities "
                f"({run.authorities_skipped} skipped); {run.imported} inspections imported "
                f"({run.created} new, {run.updated} updated, {run.unchanged} unchanged), "
                f"{run.skipped} rows skipped; {run.problem_count} problems noted."
            )
        )
        if not quiet_rows:
            for problem in run.problems:
                self.stdout.write(f"  {problem['file']} {problem['reason']}")
        if demo_home and home_authority_get() is None and (candidate := demo_home_candidate()):
            home_authority_set(local_authority=candidate, borrowed_for_demo=True)
            self.stdout.write(f"The demo council borrows the published history of {candidate}.")
