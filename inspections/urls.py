"""Inspections pages. Route names read `inspections:<thing>-<action>`."""

from django.urls import path

from inspections.views import (
    calendar,
    frameworks,
    inspections,
    judgements,
    milestones,
    onsite,
    recommendations,
    working_calendar,
)

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
    path(
        "<int:inspection_pk>/milestones/<int:milestone_pk>/done/",
        milestones.MilestoneDoneView.as_view(),
        name="milestone-done",
    ),
    path(
        "<int:inspection_pk>/milestones/<int:milestone_pk>/not-done/",
        milestones.MilestoneUndoneView.as_view(),
        name="milestone-undone",
    ),
    # The on-site log
    path("<int:inspection_pk>/on-site/", onsite.OnsiteLogView.as_view(), name="onsite-log"),
    path(
        "<int:inspection_pk>/on-site/notes/new/",
        onsite.DailyNoteCreateView.as_view(),
        name="dailynote-create",
    ),
    path(
        "<int:inspection_pk>/on-site/notes/<int:entry_pk>/change/",
        onsite.DailyNoteUpdateView.as_view(),
        name="dailynote-update",
    ),
    path(
        "<int:inspection_pk>/on-site/notes/<int:entry_pk>/delete/",
        onsite.DailyNoteDeleteView.as_view(),
        name="dailynote-delete",
    ),
    path(
        "<int:inspection_pk>/on-site/requests/new/",
        onsite.DataRequestCreateView.as_view(),
        name="datarequest-create",
    ),
    path(
        "<int:inspection_pk>/on-site/requests/<int:entry_pk>/change/",
        onsite.DataRequestUpdateView.as_view(),
        name="datarequest-update",
    ),
    path(
        "<int:inspection_pk>/on-site/requests/<int:entry_pk>/delete/",
        onsite.DataRequestDeleteView.as_view(),
        name="datarequest-delete",
    ),
    path(
        "<int:inspection_pk>/on-site/requests/<int:entry_pk>/close/",
        onsite.DataRequestCloseView.as_view(),
        name="datarequest-close",
    ),
    path(
        "<int:inspection_pk>/on-site/meetings/new/", onsite.MeetingCreateView.as_view(), name="meeting-create"
    ),
    path(
        "<int:inspection_pk>/on-site/meetings/<int:entry_pk>/change/",
        onsite.MeetingUpdateView.as_view(),
        name="meeting-update",
    ),
    path(
        "<int:inspection_pk>/on-site/meetings/<int:entry_pk>/delete/",
        onsite.MeetingDeleteView.as_view(),
        name="meeting-delete",
    ),
    path(
        "<int:inspection_pk>/on-site/concerns/new/", onsite.ConcernCreateView.as_view(), name="concern-create"
    ),
    path(
        "<int:inspection_pk>/on-site/concerns/<int:entry_pk>/change/",
        onsite.ConcernUpdateView.as_view(),
        name="concern-update",
    ),
    path(
        "<int:inspection_pk>/on-site/concerns/<int:entry_pk>/delete/",
        onsite.ConcernDeleteView.as_view(),
        name="concern-delete",
    ),
    path(
        "<int:inspection_pk>/on-site/concerns/<int:entry_pk>/close/",
        onsite.ConcernCloseView.as_view(),
        name="concern-close",
    ),
    # The calendar feed
    path("calendar/", calendar.CalendarFeedPageView.as_view(), name="calendar-feed"),
    path("calendar/<str:token>.ics", calendar.CalendarIcsView.as_view(), name="calendar-ics"),
    # The working calendar: bank holidays and the council's own changes
    path(
        "calendar/non-working-days/",
        working_calendar.WorkingCalendarView.as_view(),
        name="nonworkingday-list",
    ),
    path(
        "calendar/non-working-days/new/",
        working_calendar.NonWorkingDayCreateView.as_view(),
        name="nonworkingday-create",
    ),
    path(
        "calendar/non-working-days/<int:day_pk>/remove/",
        working_calendar.NonWorkingDayDeleteView.as_view(),
        name="nonworkingday-delete",
    ),
    # The framework library
    path("frameworks/", frameworks.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<slug:code>/", frameworks.FrameworkDetailView.as_view(), name="framework-detail"),
    path("framework-upload/", frameworks.FrameworkUploadView.as_view(), name="framework-upload"),
    path(
        "framework-upload/confirm/",
        frameworks.FrameworkUploadConfirmView.as_view(),
        name="framework-upload-confirm",
    ),
    path(
        "framework-upload/discard/",
        frameworks.FrameworkUploadDiscardView.as_view(),
        name="framework-upload-discard",
    ),
]
