from django.urls import path

from casework import annex_a_views, audit_action_views, audit_views, indicator_views, views

app_name = "casework"

urlpatterns = [
    path("children/", views.ChildListView.as_view(), name="child-list"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
    path(
        "indicators/<slug:selector_code>/children/",
        indicator_views.IndicatorChildrenView.as_view(),
        name="indicator-children",
    ),
    path(
        "indicators/<slug:selector_code>/children.csv",
        indicator_views.IndicatorChildrenCsvView.as_view(),
        name="indicator-children-csv",
    ),
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import"),
    path("imports/<int:run_id>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:run_id>/problems.csv", views.ImportProblemsView.as_view(), name="import-problems"),
    path("imports/<int:run_id>/progress/", views.ImportProgressView.as_view(), name="import-progress"),
    path("imports/<int:run_id>/retry/", views.ImportRetryView.as_view(), name="import-retry"),
    path("annex-a/", audit_views.AnnexAView.as_view(), name="annex-a"),
    path("annex-a/check/", annex_a_views.AnnexACheckView.as_view(), name="annex-a-check"),
    path(
        "annex-a/check/problems.csv", annex_a_views.AnnexAProblemsCsvView.as_view(), name="annex-a-problems"
    ),
    path("samples/", audit_views.SampleListView.as_view(), name="sample-list"),
    path("samples/new/", audit_views.SampleCreateView.as_view(), name="sample-create"),
    path("samples/upload/", audit_views.SampleUploadView.as_view(), name="sample-upload"),
    path("samples/draw/", audit_views.SampleDrawView.as_view(), name="sample-draw"),
    path("samples/<int:sample_pk>/", audit_views.SampleDetailView.as_view(), name="sample-detail"),
    path("samples/<int:sample_pk>/children/", audit_views.SampleMembersView.as_view(), name="sample-members"),
    path("samples/<int:sample_pk>/assign/", audit_views.SampleAssignView.as_view(), name="sample-assign"),
    path("audits/", audit_views.AuditListView.as_view(), name="audit-list"),
    path("audits/<int:audit_pk>/", audit_views.AuditEditView.as_view(), name="audit-edit"),
    path("audits/<int:audit_pk>/moderate/", audit_views.AuditModerateView.as_view(), name="audit-moderate"),
    path("audits/<int:audit_pk>/share/", audit_views.AuditShareView.as_view(), name="audit-share"),
    path("audits/<int:audit_pk>/escalate/", audit_views.AuditEscalateView.as_view(), name="audit-escalate"),
    path("audit-actions/", audit_action_views.AuditActionListView.as_view(), name="audit-action-list"),
    path(
        "audit-actions/<int:audit_action_pk>/done/",
        audit_action_views.AuditActionDoneView.as_view(),
        name="audit-action-done",
    ),
    path(
        "audit-actions/<int:audit_action_pk>/reopen/",
        audit_action_views.AuditActionReopenView.as_view(),
        name="audit-action-reopen",
    ),
    path(
        "escalations/<int:escalation_pk>/respond/",
        audit_views.EscalationRespondView.as_view(),
        name="escalation-respond",
    ),
]
