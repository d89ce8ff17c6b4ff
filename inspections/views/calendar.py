"""The calendar feed: a page to make or revoke your feed address, and the feed itself.

The feed is fetched by Outlook or another calendar, which cannot sign in, so it is opened to
anyone holding the secret address; unknown or revoked addresses get 404. It carries milestone
dates and wording only, never anything about a child.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView, View

from inspections import ics, selectors, services
from inspections.models import CalendarToken
from inspections.views.base import VIEW, Permission

CREATED = "Your calendar feed address is ready. Copy it into your calendar."
REPLACED = "You have a new calendar feed address. The old one has stopped working."
REVOKED = "Your calendar feed address has stopped working."


class CalendarFeedPageView(Permission, TemplateView):
    permission_required = VIEW
    template_name = "inspections/calendar_feed.html"

    def get_context_data(self, **kwargs):
        token = CalendarToken.objects.filter(user=self.request.user).first()
        feed_url = ""
        if token is not None and token.is_active:
            path = reverse("inspections:calendar-ics", kwargs={"token": token.token})
            feed_url = self.request.build_absolute_uri(path)
        return super().get_context_data(
            token=token,
            feed_url=feed_url,
            upcoming=selectors.calendar_feed_events()[:10],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(request, REVOKED)
        else:
            had_one = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).exists()
            services.calendar_token_create(user=request.user)
            messages.success(request, REPLACED if had_one else CREATED)
        return redirect("inspections:calendar-feed")


@method_decorator(login_not_required, name="dispatch")
@method_decorator(cache_control(private=True, no_cache=True), name="dispatch")
class CalendarIcsView(View):
    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        if selectors.calendar_token_active(token=token) is None:
            raise Http404("No such calendar feed")
        name = f"{settings.SERVICE_NAME} deadlines – {settings.COUNCIL_NAME}"
        body = ics.calendar(selectors.calendar_feed_events(), name=name, stamp=timezone.now())
        response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
        return response
