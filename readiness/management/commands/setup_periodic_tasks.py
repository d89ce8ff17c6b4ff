"""Declare every schedule in one place (django-celery-beat's DatabaseScheduler reads them)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = "Create or update every periodic task. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
        schedules = [
            # name, task, schedule kwargs
            ("Worker heartbeat every minute", "readiness.heartbeat", {"interval": every_minute}),
            ("Re-send stalled reports", "readiness.reports_requeue_stale", {"interval": every_minute}),
        ]
        # Crontab schedules for later tasks go here, each with a crontab.guru link, e.g.
        # https://crontab.guru/#30_7_*_*_1-5 for the 07:30 weekday digest.
        names = []
        for name, task, schedule in schedules:
            PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "enabled": True, **schedule}
            )
            names.append(name)
        self.stdout.write(f"{len(names)} schedule(s) set up: " + "; ".join(names))
