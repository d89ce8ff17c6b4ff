"""Root URLconf. Each app's own urls.py sets its app_name."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from readiness.dashboards import views as dashboards
from readiness.forms import SignInForm
from readiness.people import views as people
from readiness.plans import views as plans
from readiness.views import account, deadlines, errors, health, national, pages, reports

readiness_patterns = [
    path("", pages.home_view, name="home"),
    path("dashboard/", pages.DashboardView.as_view(), name="dashboard"),
    path("board/", pages.BoardHomeView.as_view(), name="board-home"),
    path("control-room/", dashboards.ControlRoomView.as_view(), name="control-room"),
    path("control-room/panel/", dashboards.ControlRoomPanelView.as_view(), name="control-room-panel"),
    path(
        "indicators/<slug:indicator_code>/",
        dashboards.IndicatorDetailView.as_view(),
        name="indicator-detail",
    ),
    path("deadlines/", deadlines.DeadlineListView.as_view(), name="deadlines"),
    path("deadlines/deadlines.csv", deadlines.DeadlineCsvView.as_view(), name="deadlines-csv"),
    path("readiness-overview/", dashboards.ReadinessOverviewView.as_view(), name="readiness-overview"),
    path("self-evaluation/", dashboards.SelfEvaluationListView.as_view(), name="self-evaluation"),
    path(
        "self-evaluation/<int:self_evaluation_pk>/",
        dashboards.SelfEvaluationDetailView.as_view(),
        name="self-evaluation-detail",
    ),
    path(
        "self-evaluation/<int:self_evaluation_pk>/export/",
        dashboards.SelfEvaluationExportView.as_view(),
        name="self-evaluation-export",
    ),
    path(
        "self-evaluation/<int:self_evaluation_pk>/<slug:area_code>/",
        dashboards.SelfEvaluationAnswerView.as_view(),
        name="self-evaluation-answer",
    ),
    path(
        "account/notifications/",
        dashboards.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path("system-status/", pages.SystemStatusView.as_view(), name="system-status"),
    path("reports/", reports.ReportListView.as_view(), name="report-list"),
    path("reports/new/", reports.ReportRequestView.as_view(), name="report-request"),
    path("reports/<int:report_id>/", reports.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:report_id>/status/", reports.ReportStatusView.as_view(), name="report-status"),
    path("reports/<int:report_id>/download/", reports.ReportDownloadView.as_view(), name="report-download"),
    path("reports/<int:report_id>/try-again/", reports.ReportRetryView.as_view(), name="report-retry"),
    path("national/", national.NationalPictureView.as_view(), name="national"),
    path("national/home-authority/", national.HomeAuthorityView.as_view(), name="national-home-authority"),
    path("national/imports/", national.NationalImportRunListView.as_view(), name="national-import-runs"),
    # Improvement plans
    path("plans/", plans.PlanListView.as_view(), name="plan-list"),
    path("plans/export/", plans.PlanListExportView.as_view(), name="plan-list-export"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("plans/import/", plans.PlanImportView.as_view(), name="plan-import"),
    path("plans/<int:plan_pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:plan_pk>/edit/", plans.PlanUpdateView.as_view(), name="plan-update"),
    path("plans/<int:plan_pk>/delete/", plans.PlanDeleteView.as_view(), name="plan-delete"),
    path("plans/<int:plan_pk>/priorities/new/", plans.PriorityCreateView.as_view(), name="priority-create"),
    path("plans/<int:plan_pk>/actions/", plans.PlanActionListView.as_view(), name="plan-actions"),
    path(
        "plans/<int:plan_pk>/actions/export/",
        plans.PlanActionExportView.as_view(),
        name="plan-actions-export",
    ),
    path("plans/<int:plan_pk>/actions/new/", plans.ActionCreateView.as_view(), name="action-create"),
    path("plans/<int:plan_pk>/rag/", plans.BulkRagView.as_view(), name="plan-bulk-rag"),
    path("actions/<int:action_pk>/", plans.ActionDetailView.as_view(), name="action-detail"),
    path("actions/<int:action_pk>/edit/", plans.ActionUpdateView.as_view(), name="action-update"),
    path("actions/<int:action_pk>/delete/", plans.ActionDeleteView.as_view(), name="action-delete"),
    path(
        "actions/<int:action_pk>/updates/new/",
        plans.ProgressUpdateCreateView.as_view(),
        name="progress-create",
    ),
    path("actions/<int:action_pk>/evidence/new/", plans.EvidenceCreateView.as_view(), name="evidence-create"),
    path("evidence/<int:evidence_pk>/", plans.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("my-actions/", plans.MyActionsView.as_view(), name="my-actions"),
    path("my-actions/export/", plans.MyActionsExportView.as_view(), name="my-actions-export"),
    # People and roles (administrators)
    path("people/", people.PersonListView.as_view(), name="person-list"),
    path("people/add/", people.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:person_pk>/", people.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:person_pk>/added/", people.PersonAddedView.as_view(), name="person-added"),
    path("people/<int:person_pk>/details/", people.PersonDetailsView.as_view(), name="person-details"),
    path("people/<int:person_pk>/role/", people.PersonRoleView.as_view(), name="person-role"),
    path(
        "people/<int:person_pk>/deactivate/",
        people.PersonDeactivateView.as_view(),
        name="person-deactivate",
    ),
    path(
        "people/<int:person_pk>/reactivate/",
        people.PersonReactivateView.as_view(),
        name="person-reactivate",
    ),
    path(
        "people/<int:person_pk>/two-factor/reset/",
        people.PersonTwoFactorResetView.as_view(),
        name="person-two-factor-reset",
    ),
    path("people/<int:person_pk>/unlock/", people.PersonUnlockView.as_view(), name="person-unlock"),
]

urlpatterns = [
    path("", include((readiness_patterns, "readiness"))),
    path("health/", health.health_view, name="health"),
    path("accessibility/", pages.AccessibilityView.as_view(), name="accessibility"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/two-factor/", account.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("sign-in/two-factor/setup/", account.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("inspections/", include("inspections.urls")),
    path("casework/", include("casework.urls")),
    path("admin/", admin.site.urls),
]

handler403 = errors.permission_denied_view
handler404 = errors.page_not_found_view
handler500 = errors.server_error_view

admin.site.site_header = f"{settings.SERVICE_NAME} administration"
admin.site.site_title = settings.SERVICE_NAME
