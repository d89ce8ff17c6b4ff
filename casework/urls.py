from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("children/", views.ChildListView.as_view(), name="child-list"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child-detail"),
]
