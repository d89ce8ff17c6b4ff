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


def permission_denied_view(request, exception=None):
    user = request.user
    security_log.warning(
        "permission_denied user_id=%s roles=%s url_name=%s method=%s",
        user.pk if user.is_authenticated else None,
        ",".join(sorted(user.groups.values_list("name", flat=True))) if user.is_authenticated else "",
        _url_name(request),
        request.method,
    )
    return render(request, "403.html", status=403)


def page_not_found_view(request, exception=None):
    return render(request, "404.html", status=404)


def server_error_view(request):
    # A bare render without context processors or the database: they may be what failed.
    context = {"govuk_static": f"govuk-frontend/{settings.GOVUK_FRONTEND_VERSION}"}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request, reason=""):
    security_log.warning("csrf_failure url_name=%s method=%s", _url_name(request), request.method)
    return render(request, "403_csrf.html", status=403)
