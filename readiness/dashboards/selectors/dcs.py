"""The DCS daily page: every block, cached for the day and the data version."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from readiness.dashboards.selectors.actions import actions_attention
from readiness.dashboards.selectors.audits import audit_action_counts, audit_profile
from readiness.dashboards.selectors.common import DAY_SECONDS
from readiness.dashboards.selectors.control_room import live_inspection
from readiness.dashboards.selectors.deadlines import deadlines, inspection_cycle, ten_working_days_from
from readiness.dashboards.selectors.grades import self_assessment
from readiness.dashboards.selectors.indicators import indicator_rows
from readiness.dashboards.selectors.versioning import _template_version, data_version


def _dcs_blocks(*, today: dt.date, soon_until: dt.date) -> dict:
    return {
        "self_assessment": self_assessment(),
        "actions": actions_attention(today=today),
        "audits": audit_profile(today=today),
        # Shown only to those who may see case audits (the template asks); counts only, no child.
        "audit_actions": audit_action_counts(today=today),
        "deadlines": deadlines(today=today, soon_until=soon_until),
        "cycle": inspection_cycle(today=today),
        # Actual or mock: the banner that sends the DCS to the control room (a mock rehearses it).
        "on_site": live_inspection(today=today),
    }


def dcs_dashboard(*, today: dt.date | None = None) -> dict:
    """Everything the DCS daily page shows.

    Warm, this is one query (`data_version`): the indicators are cached for the day (until the next
    snapshot run), the other blocks for the day and the data version. `page_version` names both
    (and the template's version), for the page to cache its rendered blocks under.
    """
    today = today or timezone.localdate()
    soon_until = ten_working_days_from(today)
    indicators = indicator_rows(today=today)
    version = f"{today.isoformat()}:{data_version()}"
    key = f"readiness:dashboard:dcs:{version}"
    blocks = cache.get(key)
    if blocks is None:
        blocks = _dcs_blocks(today=today, soon_until=soon_until)
        cache.set(key, blocks, timeout=DAY_SECONDS)
    return {
        "today": today,
        "indicators": indicators,
        "red_count": sum(1 for r in indicators if r.rag == "red"),
        "soon_until": soon_until,
        "page_version": f"{version}:{indicators.token}:{_template_version()}",
        **blocks,
    }
