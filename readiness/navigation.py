"""Primary navigation: one table of (label, URL name, permission), filtered by the user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "readiness:dashboard", "readiness.view_dashboard"),
    NavItem("Control room", "readiness:control-room", "readiness.view_dashboard"),
    NavItem("Readiness overview", "readiness:readiness-overview", "readiness.view_dashboard"),
    NavItem("Deadlines", "readiness:deadlines", "readiness.view_dashboard"),
    NavItem("Board", "readiness:board-home", "readiness.view_board_pages"),
    NavItem("Children", "casework:child-list", "casework.view_child_record"),
    NavItem("Audits", "casework:audit-list", "casework.view_caseaudit"),
    NavItem("Inspections", "inspections:inspection-list", "inspections.view_inspection"),
    NavItem("Plans", "readiness:plan-list", "readiness.view_improvementplan"),
    NavItem("My actions", "readiness:my-actions", "readiness.view_action"),
    NavItem("National picture", "readiness:national", "readiness.view_board_pages"),
    NavItem("Reports", "readiness:report-list", "readiness.view_report"),
    NavItem("System status", "readiness:system-status", "readiness.view_system_status"),
)


def nav_for(user, current_path: str = "") -> list[dict]:
    """Return the navigation entries this user may follow, marking the current one."""
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.has_perm(item.permission):
            href = reverse(item.url_name)
            items.append({"label": item.label, "href": href, "active": current_path.startswith(href)})
    return items
