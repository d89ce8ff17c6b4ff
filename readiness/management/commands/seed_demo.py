"""Create the fictional Northmoor council: one user per role and the demo data that exists so far.

Deterministic (seeded) and safe to run again: users are updated, never duplicated.
"""

import random

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework import demo as casework_demo
from inspections import demo as inspections_demo
from readiness import roles
from readiness.management.commands import import_national
from readiness.plans import demo as plans_demo

DEMO_PASSWORD = "northmoor-demo-2026"  # noqa: S105 - printed for the demo; never used in production  # nosec B105

DEMO_USERS = [
    # username, first name, last name, role
    ("pm", "Priya", "Mistry", roles.PERFORMANCE_MANAGER),
    ("dcs", "Dana", "Clarke", roles.DCS),
    ("auditor", "Aled", "Owen", roles.AUDITOR),
    ("board", "Beatrice", "Nwosu", roles.BOARD_MEMBER),
    ("admin", "Adam", "Fairley", roles.ADMINISTRATOR),
]


class Command(BaseCommand):
    help = "Load the fictional demo council (Northmoor). Deterministic; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the case data (10 = county size).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed for generated data.")

    @transaction.atomic
    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            self.stderr.write("--scale must be 1 or more")
            raise SystemExit(2)
        roles.sync_roles(Group, Permission)
        created = self._users()
        # Seeded generators make the demo reproducible; nothing here is a secret (bandit B311).
        inspections_demo.seed(rng=random.Random(seed))  # nosec B311
        casework_demo.seed(rng=random.Random(seed), scale=scale, today=timezone.localdate())  # nosec B311
        plans_demo.seed(rng=random.Random(seed))  # nosec B311
        call_command("setup_periodic_tasks", stdout=self.stdout)
        # One point a week for the 13-week trends (the latest snapshot of each week is what they show);
        # every day would take seven times as long for the same pictures.
        call_command("snapshots_backfill", "--days", "91", "--every", "7", stdout=self.stdout)
        # The national picture needs the shared reference files; the demo works without them.
        if import_national.DEFAULT_OUTCOMES.is_file() and import_national.DEFAULT_LOOKUP.is_file():
            call_command("import_national", "--quiet-rows", "--demo-home", stdout=self.stdout)
        self._board_summary()
        self.stdout.write(
            self.style.SUCCESS(f"Demo council '{settings.COUNCIL_NAME}' is ready (scale {scale}).")
        )
        self.stdout.write(f"Sign in with any of these ({created} new), password '{DEMO_PASSWORD}':")
        for username, first, last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {first} {last} – {role}")

    def _board_summary(self) -> None:
        """Ask once for a board summary, so board members have one to download (made after commit)."""
        from readiness.models import Report
        from readiness.reports.services import report_request

        if not Report.objects.filter(kind=Report.Kind.BOARD_SUMMARY).exists():
            admin = User.objects.get(username="admin")
            report_request(kind=Report.Kind.BOARD_SUMMARY, parameters={}, user=admin)

    def _users(self) -> int:
        created = 0
        for username, first, last, role in DEMO_USERS:
            user, was_created = User.objects.get_or_create(username=username)
            created += was_created
            user.first_name, user.last_name = first, last
            user.email = f"{username}@northmoor.example"
            user.is_staff = role == roles.ADMINISTRATOR
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        return created
