"""GET /health/: for load balancers and monitoring; no sign-in, no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from readiness.selectors import BROKER_EAGER, broker_status, database_is_up, worker_status


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def health_view(request):
    database_up = database_is_up()
    body = {
        "status": "ok" if database_up else "unavailable",
        "database": "ok" if database_up else "unreachable",
        "broker": broker_status(),
    }
    if database_up:
        worker = worker_status()
        body["worker"] = worker.label
        body["worker_last_seen_at"] = worker.last_seen_at.isoformat() if worker.last_seen_at else None
    else:
        body["worker"] = "unknown"
    if body["broker"] == BROKER_EAGER:
        body["worker"] = "in-process"
    return JsonResponse(body, status=200 if database_up else 503)
