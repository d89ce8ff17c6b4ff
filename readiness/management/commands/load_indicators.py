"""Make the indicator table match readiness/dashboards/definitions.py. Safe to run again."""

from django.core.management.base import BaseCommand

from readiness.dashboards.definitions import indicators_load


class Command(BaseCommand):
    help = "Create or update the indicator definitions. Idempotent."

    def handle(self, *args, **options):
        created, updated, unchanged = indicators_load()
        self.stdout.write(f"Indicators: {created} created, {updated} updated, {unchanged} unchanged.")
