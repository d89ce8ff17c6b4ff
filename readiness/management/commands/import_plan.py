"""python manage.py import_plan PATH --title TITLE [--inspection ID] [--owner USERNAME] [--dry-run]

Exit 0 and print the counts when every row is good; exit 1 and print one line per problem
(`row N, column X: message`) when any row is bad, saving nothing; exit 2 when the file cannot be read.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readiness.plans.models import ImprovementPlan
from readiness.plans.spreadsheets import plan_import


class Command(BaseCommand):
    help = "Import an improvement plan (CSV or XLSX, one row per action), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or XLSX file to import.")
        parser.add_argument("--title", required=True, help="The plan's title.")
        parser.add_argument("--inspection", type=int, help="ID of the inspection the plan answers.")
        parser.add_argument(
            "--source", default=ImprovementPlan.Source.INSPECTION, choices=ImprovementPlan.Source.values
        )
        parser.add_argument("--owner", help="Username of the plan's owner.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row but save nothing.")

    def handle(self, *args, path, title, inspection, source, owner, dry_run, **options):
        from inspections.selectors import inspection_get

        found = None
        if inspection is not None:
            found = inspection_get(inspection_id=inspection)
            if found is None:
                raise CommandError(f"Inspection {inspection} does not exist.")
        owner_user = None
        if owner:
            owner_user = get_user_model().objects.filter(username=owner).first()
            if owner_user is None:
                raise CommandError(f"No user is called {owner!r}.")
        try:
            with open(path, "rb") as handle:
                result = plan_import(
                    handle=handle,
                    filename=path,
                    title=title,
                    source=source,
                    inspection=found,
                    owner=owner_user,
                    dry_run=dry_run,
                )
        except OSError as error:
            self.stderr.write(f"Cannot read {path}: {error.strerror or error}.")
            sys.exit(2)
        if not result.ok:
            for problem in result.problems:
                self.stdout.write(str(problem))
            hidden = result.problem_count - len(result.problems)
            if hidden:
                self.stdout.write(f"… and {hidden} more problems.")
            sys.exit(1)
        self.stdout.write(result.summary())
        for column in result.ignored_columns:
            self.stdout.write(f"Column '{column}' is not one we import; it was ignored.")
