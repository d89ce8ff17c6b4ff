"""`python manage.py render_report KIND [--plan ID] [--inspection ID] --out PATH`.

Runs the same task the web uses, in this process, and writes the PDF. Exit 0 when written;
exit 1 with the report's error on stderr when it fails.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readiness.models import Report


class Command(BaseCommand):
    help = "Render a report to a PDF file through the report task, in this process."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Report.Kind.values, help="The kind of report.")
        parser.add_argument("--plan", type=int, help="Improvement plan id (default: the latest plan).")
        parser.add_argument("--inspection", type=int, help="Inspection id (default: the latest inspection).")
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF.")

    def handle(self, *args, kind, plan, inspection, out, **options):
        from readiness.tasks import report_render

        parameters = {key: value for key, value in (("plan", plan), ("inspection", inspection)) if value}
        report = Report.objects.create(kind=kind, parameters=parameters, requested_by=None)
        # apply() runs the task here, through Celery's tracer, so retries and on_failure behave as
        # they do on a worker.
        report_render.apply(args=[report.pk], throw=False)
        report.refresh_from_db()
        if report.status != Report.Status.READY:
            raise CommandError(report.error or f"The report ended {report.get_status_display().lower()}.")
        with report.file.open("rb") as source:
            data = source.read()
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Could not write {out}: {exc.strerror}") from exc
        self.stdout.write(
            f"Wrote {out} ({report.pages} page(s), {report.size_bytes:,} bytes) from report {report.pk}."
        )
