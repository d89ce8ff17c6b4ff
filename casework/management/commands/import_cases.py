"""python manage.py import_cases PATH [--dry-run]

Exit 0 and print the counts when every row is good; exit 1 and print one line per problem
(`row N, column X: message`) when any row is bad, saving nothing; exit 2 when the file cannot be read;
exit 130 when stopped with Ctrl-C, saving nothing and recording the run as failed.
"""

import sys

from django.core.management.base import BaseCommand

from casework.services import cases_import


class Command(BaseCommand):
    help = "Import a case list (CSV or XLSX), all or nothing. See casework/imports/README.md."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or XLSX file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row but save nothing.")

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            result = cases_import(path=path, dry_run=dry_run)
        except OSError as error:
            self.stderr.write(f"Cannot read {path}: {error.strerror or error}.")
            sys.exit(2)
        except KeyboardInterrupt:  # cases_import has already marked its run failed
            self.stderr.write("Stopped before the import finished. Nothing was saved.")
            sys.exit(130)
        if not result.ok:
            for problem in result.problems:
                self.stdout.write(str(problem))
            hidden = result.problem_count - len(result.problems)
            if hidden:
                self.stdout.write(f"… and {hidden} more problems.")
            sys.exit(1)
        self.stdout.write(result.summary())
        for sentence in result.not_read:  # columns we do not import; Annex A sheets not read, and why
            self.stdout.write(sentence)
