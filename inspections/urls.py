"""Inspections pages. Route names read `inspections:<thing>-<action>`."""

from django.urls import path

from inspections.views import inspections, judgements, milestones, recommendations

app_name = "inspections"

urlpatterns = [
    path("", inspections.InspectionListView.as_view(), name="inspection-list"),
    path("new/", inspections.InspectionCreateView.as_view(), name="inspection-create"),
    path("<int:inspection_pk>/", inspections.InspectionDetailView.as_view(), name="inspection-detail"),
    path("<int:inspection_pk>/change/", inspections.InspectionUpdateView.as_view(), name="inspection-update"),
    path("<int:inspection_pk>/delete/", inspections.InspectionDeleteView.as_view(), name="inspection-delete"),
    path("<int:inspection_pk>/grades/", judgements.JudgementRecordView.as_view(), name="judgement-record"),
    path(
        "<int:inspection_pk>/recommendations/new/",
        recommendations.RecommendationCreateView.as_view(),
        name="recommendation-create",
    ),
    path(
        "<int:inspection_pk>/recommendations/<int:recommendation_pk>/change/",
        recommendations.RecommendationUpdateView.as_view(),
        name="recommendation-update",
    ),
    path(
        "<int:inspection_pk>/recommendations/<int:recommendation_pk>/move-<str:direction>/",
        recommendations.RecommendationMoveView.as_view(),
        name="recommendation-move",
    ),
    path(
        "<int:inspection_pk>/recommendations/<int:recommendation_pk>/delete/",
        recommendations.RecommendationDeleteView.as_view(),
        name="recommendation-delete",
    ),
    path(
        "<int:inspection_pk>/milestones/<int:milestone_pk>/change-date/",
        milestones.MilestoneOverrideView.as_view(),
        name="milestone-override",
    ),
]
