"""Load the framework files into the database: all of them, or none.

    python manage.py load_frameworks                 # inspections/frameworks/*.yaml
    python manage.py load_frameworks --path DIR      # another directory (e.g. a draft revision)

Idempotent: a framework whose file has not changed is not written (and gets no history row).
A file older than the version the database holds (a newer one was uploaded through the framework
library) is left out and said so: loading the shipped files never undoes an upload.
When any file is invalid, every problem is printed to stderr as "file:line: message", nothing is
written and the exit status is 1.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from inspections import framework_files
from inspections.framework_sync import UNCHANGED, FrameworkSyncError, frameworks_sync

NOTHING_LOADED = "{count} problem{s} found; nothing was loaded"


class Command(BaseCommand):
    help = "Load the inspection framework files into the database (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=str(framework_files.FRAMEWORKS_DIR),
            help="Directory of framework files (default: inspections/frameworks).",
        )

    def handle(self, *args, path: str, verbosity: int = 1, **options):
        try:
            definitions = framework_files.load_dir(path)
            held = dict(apps.get_model("inspections", "Framework").objects.values_list("code", "version"))
            older = [fd for fd in definitions if fd.version < held.get(fd.code, 0)]
            definitions = [fd for fd in definitions if fd not in older]
            results = frameworks_sync(definitions, get_model=lambda name: apps.get_model("inspections", name))
        except (framework_files.FrameworkFileError, FrameworkSyncError) as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            count = len(exc.problems)
            raise CommandError(
                NOTHING_LOADED.format(count=count, s="" if count == 1 else "s"), returncode=1
            ) from None
        for fd in older:
            self.stdout.write(
                f"{fd.code}: kept version {held[fd.code]}; the file is version {fd.version} "
                "(a newer version was uploaded through the framework library)"
            )
        for result in results:
            line = f"{result.code}: {result.state}"
            if verbosity > 1 and result.changes:
                line += " (" + ", ".join(result.changes) + ")"
            self.stdout.write(line)
        counts = {state: sum(r.state == state for r in results) for state in ("created", "updated")}
        self.stdout.write(
            f"{len(results)} frameworks: {counts['created']} created, {counts['updated']} updated, "
            f"{sum(r.state == UNCHANGED for r in results)} unchanged"
        )
