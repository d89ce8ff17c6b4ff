"""Declare every schedule in one place (django-celery-beat's DatabaseScheduler reads them)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = "Create or update every periodic task. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
        london = {"day_of_month": "*", "month_of_year": "*", "timezone": "Europe/London"}
        # https://crontab.guru/#15_2_*_*_* : 02:15 every night, after the evening's imports.
        nightly, _ = CrontabSchedule.objects.get_or_create(minute="15", hour="2", day_of_week="*", **london)
        # https://crontab.guru/#30_7_*_*_1-5 : 07:30 Monday to Friday (the task skips bank holidays).
        weekday_morning, _ = CrontabSchedule.objects.get_or_create(
            minute="30", hour="7", day_of_week="1-5", **london
        )
        # https://crontab.guru/#0_7_*_*_1-5 : 07:00 Monday to Friday (the task skips bank holidays).
        weekday_seven, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="7", day_of_week="1-5", **london
        )
        # https://crontab.guru/#5_7_*_*_1-5 : 07:05 Monday to Friday (the task skips bank holidays).
        weekday_seven_oh_five, _ = CrontabSchedule.objects.get_or_create(
            minute="5", hour="7", day_of_week="1-5", **london
        )
        schedules = [
            # name, task, schedule kwargs
            ("Worker heartbeat every minute", "readiness.heartbeat", {"interval": every_minute}),
            ("Re-send stalled reports", "readiness.reports_requeue_stale", {"interval": every_minute}),
            (
                "Send imports saved while the broker was down",
                "casework.import_runs_requeue_unsent",
                {"interval": every_minute},
            ),
            (
                "Fail imports stuck without finishing",
                "casework.import_runs_fail_stuck",
                {"interval": every_minute},
            ),
            ("Indicator snapshots every night", "readiness.snapshots_take", {"crontab": nightly}),
            ("Daily digest to the DCS", "readiness.daily_digest", {"crontab": weekday_morning}),
            ("Action reminders to owners", "readiness.action_reminders", {"crontab": weekday_seven}),
            (
                "Case audit reminders to auditors and moderators",
                "readiness.case_audit_reminders",
                {"crontab": weekday_seven_oh_five},
            ),
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
