"""Shared pieces of the inspections views: permission mixins and putting service errors on forms."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property

from inspections.models import Inspection

VIEW = "inspections.view_inspection"
ADD = "inspections.add_inspection"
CHANGE = "inspections.change_inspection"
DELETE = "inspections.delete_inspection"


class Permission(PermissionRequiredMixin):
    """Deny by default: a subclass names its permission, and refusals are 403, not a redirect."""

    raise_exception = True


class InspectionMixin(Permission):
    """Load the inspection in the URL once (`pk`), with its framework."""

    @cached_property
    def inspection(self) -> Inspection:
        queryset = Inspection.objects.select_related("framework")
        return get_object_or_404(queryset, pk=self.kwargs["inspection_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(inspection=self.inspection, **kwargs)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


def detail_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("inspections:inspection-detail", kwargs={"inspection_pk": inspection.pk})
    return f"{url}#{anchor}" if anchor else url
