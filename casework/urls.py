from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("children/", views.ChildListView.as_view(), name="child-list"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import"),
    path("imports/<int:run_id>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:run_id>/problems.csv", views.ImportProblemsView.as_view(), name="import-problems"),
    path("imports/<int:run_id>/retry/", views.ImportRetryView.as_view(), name="import-retry"),
]
