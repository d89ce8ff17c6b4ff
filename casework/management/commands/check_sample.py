"""python manage.py check_sample PATH [--rule sif-18]

Check an inspection audit sample (CSV: child_id,cohort,out_of_borough) against a composition rule.
Exit 0 when valid, 1 with one line per broken rule, 2 when the file cannot be read.
"""

import sys

from django.core.management.base import BaseCommand

from casework.samples import DEFAULT_RULE, SAMPLE_RULES, sample_check, sample_read_csv, sample_summary


class Command(BaseCommand):
    help = "Check an audit sample CSV (child_id,cohort,out_of_borough) against a composition rule."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The sample CSV file.")
        parser.add_argument("--rule", default=DEFAULT_RULE, choices=sorted(SAMPLE_RULES))

    def handle(self, *args, path: str, rule: str, **options):
        try:
            with open(path, "rb") as handle:
                rows, problems = sample_read_csv(handle)
        except OSError as error:
            self.stderr.write(f"Cannot read {path}: {error.strerror or error}.")
            sys.exit(2)
        problems = problems or sample_check(rows, rule)
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            sys.exit(1)
        self.stdout.write(sample_summary(rows, rule))
