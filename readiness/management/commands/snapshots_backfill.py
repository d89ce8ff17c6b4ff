"""Fill past days' indicator snapshots from the events as they stood on each day (for the demo)."""

from django.core.management.base import BaseCommand, CommandError

from readiness.dashboards.definitions import indicators_load
from readiness.dashboards.services import snapshots_backfill


class Command(BaseCommand):
    help = "Write a snapshot per indicator for each of the last N days (and today). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=91, help="How many days back (default 91: 13 weeks).")
        parser.add_argument(
            "--every",
            type=int,
            default=1,
            help="Fill every Nth day back from today (default 1: every day; 7: one point a week, "
            "which is what the 13-week trends show).",
        )

    def handle(self, *args, days: int, every: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        if every < 1:
            raise CommandError("--every must be 1 or more")
        indicators_load()  # the definitions first (idempotent), so a fresh database has them
        runs = snapshots_backfill(days=days, every=every)
        written = sum(run.written for run in runs)
        skipped = runs[-1].skipped if runs else {}
        self.stdout.write(f"{written} snapshot(s) written over {len(runs)} day(s).")
        for code, why in sorted(skipped.items()):
            self.stdout.write(f"  {code}: {why}")
