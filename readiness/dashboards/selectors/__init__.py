"""Reads behind the dashboards. Each block reads small tables (snapshots, inspections, plans,
audit counts) in a fixed number of queries, whatever the number of children.

The reads live in one module per block; every name is re-exported here, so
`from readiness.dashboards.selectors import X` and `selectors.X` keep working.
"""

from readiness.dashboards.selectors.actions import ActionsAttention, actions_attention
from readiness.dashboards.selectors.audits import AuditProfile, audit_profile
from readiness.dashboards.selectors.board import board_home
from readiness.dashboards.selectors.common import (
    AUDITS_NOT_AVAILABLE,
    CURRENT_FRAMEWORK,
    DAY_SECONDS,
    DEADLINE_WORKING_DAYS,
    GOOD_OR_BETTER,
    PLANS_NOT_AVAILABLE,
    SPARK_WEEKS,
    SUPPRESSED,
    suppress,
)
from readiness.dashboards.selectors.control_room import (
    AuditProgress,
    OnsiteDay,
    control_room,
    inspection_audit_progress,
    live_inspection,
    onsite_day,
)
from readiness.dashboards.selectors.dcs import _dcs_blocks, dcs_dashboard
from readiness.dashboards.selectors.deadlines import (
    Deadline,
    InspectionCycle,
    _add_months,
    deadlines,
    inspection_cycle,
    ten_working_days_from,
    working_days_from,
)
from readiness.dashboards.selectors.digest import digest_content, history_counts
from readiness.dashboards.selectors.grades import GradeRow, SelfAssessment, self_assessment
from readiness.dashboards.selectors.indicators import (
    RAG_COLOURS,
    RAG_LABELS,
    IndicatorRow,
    IndicatorRows,
    _fmt,
    _indicator_rows,
    indicator_rows,
)
from readiness.dashboards.selectors.overview import (
    AREA_COHORTS,
    AreaReadiness,
    current_framework,
    latest_self_evaluation,
    readiness_overview,
)
from readiness.dashboards.selectors.self_evaluation import (
    CalibrationRow,
    _key_date,
    calibration,
    self_evaluation_areas,
    self_evaluation_changes,
    self_evaluation_list,
)
from readiness.dashboards.selectors.versioning import (
    DCS_PAGE_SOURCES,
    _data_version_sql,
    _template_version,
    data_version,
)

__all__ = [
    "GOOD_OR_BETTER",
    "SPARK_WEEKS",
    "DEADLINE_WORKING_DAYS",
    "SUPPRESSED",
    "CURRENT_FRAMEWORK",
    "PLANS_NOT_AVAILABLE",
    "AUDITS_NOT_AVAILABLE",
    "suppress",
    "_fmt",
    "IndicatorRow",
    "RAG_LABELS",
    "RAG_COLOURS",
    "DAY_SECONDS",
    "IndicatorRows",
    "indicator_rows",
    "_indicator_rows",
    "GradeRow",
    "SelfAssessment",
    "self_assessment",
    "ActionsAttention",
    "actions_attention",
    "AuditProfile",
    "audit_profile",
    "Deadline",
    "deadlines",
    "working_days_from",
    "ten_working_days_from",
    "InspectionCycle",
    "_add_months",
    "inspection_cycle",
    "DCS_PAGE_SOURCES",
    "_data_version_sql",
    "data_version",
    "_template_version",
    "_dcs_blocks",
    "dcs_dashboard",
    "live_inspection",
    "OnsiteDay",
    "onsite_day",
    "AuditProgress",
    "inspection_audit_progress",
    "control_room",
    "AREA_COHORTS",
    "AreaReadiness",
    "current_framework",
    "latest_self_evaluation",
    "readiness_overview",
    "self_evaluation_list",
    "self_evaluation_areas",
    "self_evaluation_changes",
    "_key_date",
    "CalibrationRow",
    "calibration",
    "board_home",
    "history_counts",
    "digest_content",
]
