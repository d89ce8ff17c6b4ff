"""Session timeouts and caching rules that apply to every signed-in page."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SESSION_STARTED_KEY = "readiness_started_at"
SESSION_LAST_SEEN_KEY = "readiness_last_seen_at"
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
            # HTMX polling must not keep an unattended screen signed in for ever.
            if not request.headers.get("HX-Request"):
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
