"""Dashboard panel: the new dossiers of the pages the agent may see."""

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..dossiers.access import submissions_for_user
from ..models import SubmissionStatus


class NewSubmissionsPanel(Component):
    name = "wagtail_qf_new_submissions"
    order = 150
    template_name = "wagtail_qf/admin/new_submissions_panel.html"

    def get_context_data(self, parent_context) -> dict:
        request = parent_context["request"]
        rows = (
            submissions_for_user(request.user)
            .values("page__title", "page_id")
            .annotate(new=Count("pk", filter=Q(status=SubmissionStatus.NEW)))
            .filter(new__gt=0)
            .order_by("-new")[:10]
        )
        index = reverse("wagtail_qf_submissions:index")
        return {
            "rows": [{**row, "url": f"{index}?status=new&page={row['page_id']}"} for row in rows],
            "total": sum(row["new"] for row in rows),
            "index_url": index,
        }
