"""List the frameworks in the database, one line each.

python manage.py frameworks

code  version  name  valid from – to  graded|ungraded  N areas  M milestone rules
"""

from django.core.management.base import BaseCommand
from django.db.models import Count

from inspections.models import Framework

NONE_LOADED = "No frameworks loaded. Run: python manage.py load_frameworks"


def framework_line(framework: Framework, code_width: int = 0) -> str:
    valid_to = framework.valid_to.isoformat() if framework.valid_to else "now"
    return (
        f"{framework.code:<{code_width}}  v{framework.version}  {framework.name}  "
        f"{framework.valid_from.isoformat()} – {valid_to}  "
        f"{'graded' if framework.is_graded else 'ungraded'}  "
        f"{framework.n_areas} area{'s' if framework.n_areas != 1 else ''}  "
        f"{framework.n_rules} milestone rule{'s' if framework.n_rules != 1 else ''}"
    )


class Command(BaseCommand):
    help = "List the inspection frameworks loaded: code, version, name, dates, grading, areas, rules."

    def handle(self, *args, **options):
        frameworks = list(
            Framework.objects.annotate(
                n_areas=Count("areas", distinct=True), n_rules=Count("milestone_rules", distinct=True)
            ).order_by("valid_from", "code")
        )
        if not frameworks:
            self.stdout.write(NONE_LOADED)
            return
        width = max(len(f.code) for f in frameworks)
        for framework in frameworks:
            self.stdout.write(framework_line(framework, width))
