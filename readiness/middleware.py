"""Session timeouts and caching rules that apply to every signed-in page."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest

SESSION_STARTED_KEY = "readiness_started_at"
SESSION_LAST_SEEN_KEY = "readiness_last_seen_at"
LAST_SEEN_RESOLUTION_SECONDS = 60
SESSION_EXPIRED_MESSAGE = "You were signed out because your session timed out. Sign in again to continue."


class SessionTimeoutMiddleware:
    """Sign a user out after 30 idle minutes or 12 hours since sign-in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            if (
                now - last_seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                messages.info(request, SESSION_EXPIRED_MESSAGE)
                return redirect_to_login(request.get_full_path())
            # HTMX polling must not keep an unattended screen signed in for ever. Writing the
            # session at most once a minute keeps a page view from costing a database write.
            if not request.headers.get("HX-Request") and now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_LAST_SEEN_KEY] = now
            elif SESSION_LAST_SEEN_KEY not in request.session:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


class NoStoreForChildDataMiddleware:
    """Tell browsers and proxies not to keep any page a signed-in user sees (child-level data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if "Cache-Control" not in response:
                response["Cache-Control"] = "no-store, private"
        return response


# Pages a signed-in user may reach before entering their two-factor code.
TWO_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {"login", "logout", "two-factor-setup", "two-factor-verify", "health", "accessibility"}
)


class TwoFactorRequiredMiddleware:
    """Send a password-only session to the code page (or first-time setup) before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import Resolver404, resolve

        user = request.user
        if settings.REQUIRE_TWO_FACTOR and user.is_authenticated and not user.is_verified():
            try:
                url_name = resolve(request.path_info).url_name
            except Resolver404:
                url_name = None
            if url_name not in TWO_FACTOR_EXEMPT_URL_NAMES and not request.path_info.startswith(
                settings.STATIC_URL
            ):
                from django.shortcuts import redirect
                from django.urls import reverse
                from django.utils.http import urlencode
                from django_otp import user_has_device

                target = "two-factor-verify" if user_has_device(user) else "two-factor-setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


NUL_IN_REQUEST = "The request has a character no form or address can hold (NUL)"


class RefuseNulCharactersMiddleware:
    """Answer 400 to a query string or typed form field holding a NUL character.

    PostgreSQL cannot store or compare text with NUL in it, so a view that filters by a query
    parameter (`?q=`) would fail with a 500; Django's form fields refuse NUL, but not every view
    reads a form. No person types NUL: refuse it once, here, for every view. File uploads
    (multipart) are left to the upload checks, which read the file's bytes themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if ("%00" in query or "\x00" in query) and _has_nul(request.GET):
            raise BadRequest(NUL_IN_REQUEST)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if _has_nul(request.POST):
                raise BadRequest(NUL_IN_REQUEST)
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
