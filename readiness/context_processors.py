"""Template context every page needs: service names, navigation and system warnings."""

from django.conf import settings

from readiness.navigation import nav_for


def service(request) -> dict:
    user = getattr(request, "user", None)
    context = {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "govuk_static": f"govuk-frontend/{settings.GOVUK_FRONTEND_VERSION}",
        "nav_items": nav_for(user, request.path) if user is not None else [],
        "worker_warning": None,
    }
    if user is not None and user.is_authenticated and user.has_perm("readiness.view_system_status"):
        from readiness.selectors import worker_status

        status = worker_status()
        if status.stale:
            context["worker_warning"] = status
    return context
