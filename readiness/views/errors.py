"""GOV.UK-styled error pages; every refusal is logged for the security record."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve

security_log = logging.getLogger("readiness.security")


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name or "?"
    except Resolver404:
        return "?"


def _log_refusal(request, kind: str) -> None:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    security_log.warning(
        "%s user_id=%s roles=%s url_name=%s method=%s",
        kind,
        user.pk if signed_in else None,
        ",".join(sorted(user.groups.values_list("name", flat=True))) if signed_in else "",
        _url_name(request),
        request.method,
    )


def permission_denied_view(request, exception=None):
    _log_refusal(request, "permission_denied")
    return render(request, "403.html", status=403)


def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


def server_error_view(request):
    # A bare render without context processors or the database: they may be what failed.
    context = {"govuk_static": f"govuk-frontend/{settings.GOVUK_FRONTEND_VERSION}"}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request, reason=""):
    _log_refusal(request, "csrf_failure")
    return render(request, "403_csrf.html", status=403)
