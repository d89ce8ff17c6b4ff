"""Child-level pages: every one needs casework.view_child_record, which board members never hold."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView, ListView

from casework.models import Child


class ChildListView(PermissionRequiredMixin, ListView):
    permission_required = "casework.view_child_record"
    raise_exception = True
    model = Child
    paginate_by = 50
    template_name = "casework/child_list.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        query = self.request.GET.get("q", "").strip().upper()
        return queryset.filter(child_id__startswith=query) if query else queryset


class ChildDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "casework.view_child_record"
    raise_exception = True
    model = Child
    template_name = "casework/child_detail.html"
