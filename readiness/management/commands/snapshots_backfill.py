"""Fill past days' indicator snapshots from the events as they stood on each day (for the demo)."""

from django.core.management.base import BaseCommand, CommandError

from readiness.dashboards.definitions import indicators_load
from readiness.dashboards.services import snapshots_backfill


class Command(BaseCommand):
    help = "Write a snapshot per indicator for each of the last N days (and today). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=91, help="How many days back (default 91: 13 weeks).")

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        indicators_load()  # the definitions first (idempotent), so a fresh database has them
        runs = snapshots_backfill(days=days)
        written = sum(run.written for run in runs)
        skipped = runs[-1].skipped if runs else {}
        self.stdout.write(f"{written} snapshot(s) written over {len(runs)} day(s).")
        for code, why in sorted(skipped.items()):
            self.stdout.write(f"  {code}: {why}")
