from django.urls import path  # noqa: F401 - patterns arrive with the inspections pages

app_name = "inspections"

urlpatterns: list = []
