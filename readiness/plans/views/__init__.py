"""Improvement plan pages: list, overview, actions (list, detail, add, change, delete), progress
updates, evidence, "my actions", bulk RAG, export and import. Thin views over services/selectors.

One module per subject; every name is re-exported here, so `readiness.urls` (`plans.PlanListView`)
and `from readiness.plans.views import X` keep working.
"""

from readiness.plans.views.action_lists import ActionListMixin, MyActionsView, PlanActionListView
from readiness.plans.views.actions import (
    ActionCreateView,
    ActionDeleteView,
    ActionDetailView,
    ActionUpdateView,
    ProgressUpdateCreateView,
)
from readiness.plans.views.bulk_rag import BulkRagView
from readiness.plans.views.common import (
    ACTION_ADDED,
    ACTION_DELETED,
    ACTION_SAVED,
    BULK_ROW_ERROR,
    BULK_SAVED,
    EVIDENCE_ADDED,
    PLAN_CREATED,
    PLAN_DELETED,
    PLAN_IMPORTED,
    PLAN_SAVED,
    PRIORITY_ADDED,
    UPDATE_ADDED,
    ActionMixin,
    Permission,
    PlanMixin,
    add_service_errors,
    rag_tag,
)
from readiness.plans.views.evidence import EvidenceCreateView, EvidenceDownloadView
from readiness.plans.views.exports import (
    PLAN_EXPORT_HEADER,
    ExportMixin,
    MyActionsExportView,
    PlanActionExportView,
    PlanListExportView,
    spreadsheet_response,
)
from readiness.plans.views.plan_import import PlanImportView
from readiness.plans.views.plans import (
    PlanCreateView,
    PlanDeleteView,
    PlanDetailView,
    PlanListView,
    PlanUpdateView,
    PriorityCreateView,
    rag_chart,
)

__all__ = [
    "PLAN_CREATED",
    "PLAN_SAVED",
    "PLAN_DELETED",
    "PRIORITY_ADDED",
    "ACTION_ADDED",
    "ACTION_SAVED",
    "ACTION_DELETED",
    "UPDATE_ADDED",
    "EVIDENCE_ADDED",
    "BULK_SAVED",
    "PLAN_IMPORTED",
    "BULK_ROW_ERROR",
    "add_service_errors",
    "Permission",
    "PlanMixin",
    "ActionMixin",
    "rag_tag",
    "rag_chart",
    "PlanListView",
    "PlanCreateView",
    "PlanUpdateView",
    "PlanDeleteView",
    "PlanDetailView",
    "PriorityCreateView",
    "PlanImportView",
    "ActionListMixin",
    "PlanActionListView",
    "MyActionsView",
    "spreadsheet_response",
    "ExportMixin",
    "PLAN_EXPORT_HEADER",
    "PlanListExportView",
    "PlanActionExportView",
    "MyActionsExportView",
    "BulkRagView",
    "ActionDetailView",
    "ActionCreateView",
    "ActionUpdateView",
    "ActionDeleteView",
    "ProgressUpdateCreateView",
    "EvidenceCreateView",
    "EvidenceDownloadView",
]
