"""Top-level pages: home, dashboard, board home, system status, accessibility statement."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from readiness.navigation import nav_for


def home_view(request):
    """Send each role to its own starting page: the first navigation entry it may follow."""
    items = nav_for(request.user, "")
    if items:
        return redirect(items[0]["href"])
    return render(request, "readiness/home.html", {"items": items})


class DashboardView(PermissionRequiredMixin, TemplateView):
    """The DCS daily page: grades against good, indicators, actions, audits, deadlines, the cycle."""

    permission_required = "readiness.view_dashboard"
    raise_exception = True
    template_name = "readiness/dashboard.html"

    def get_context_data(self, **kwargs):
        from readiness.dashboards.selectors import dcs_dashboard

        return super().get_context_data(**dcs_dashboard(), **kwargs)


class BoardHomeView(PermissionRequiredMixin, TemplateView):
    """Aggregates only: judgements, plan RAG totals with small numbers marked, board summary PDFs."""

    permission_required = "readiness.view_board_pages"
    raise_exception = True
    template_name = "readiness/board_home.html"

    def get_context_data(self, **kwargs):
        from readiness.dashboards.selectors import board_home

        return super().get_context_data(**board_home(), **kwargs)


class SystemStatusView(PermissionRequiredMixin, TemplateView):
    permission_required = "readiness.view_system_status"
    raise_exception = True
    template_name = "readiness/system_status.html"

    def get_context_data(self, **kwargs):
        from django_celery_beat.models import PeriodicTask

        from readiness.models import WorkerHeartbeat
        from readiness.schedules import schedule_in_words
        from readiness.selectors import broker_status, worker_status

        return super().get_context_data(
            broker=broker_status(),
            worker=worker_status(),
            heartbeats=WorkerHeartbeat.objects.all()[:20],
            periodic_tasks=[
                (task, schedule_in_words(task))
                for task in PeriodicTask.objects.select_related("crontab", "interval").order_by("name")
            ],
            **kwargs,
        )


@method_decorator(login_not_required, name="dispatch")
class AccessibilityView(TemplateView):
    template_name = "accessibility.html"
