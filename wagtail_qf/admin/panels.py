"""Dashboard panel: the new dossiers of the pages the agent may see."""

from django.db.models import F
from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..dossiers.access import page_ids_for_user
from ..models import SubmissionCount, SubmissionStatus


class NewSubmissionsPanel(Component):
    name = "wagtail_qf_new_submissions"
    order = 150
    template_name = "wagtail_qf/admin/new_submissions_panel.html"

    def get_context_data(self, parent_context) -> dict:
        request = parent_context["request"]
        # The inbox's counters per page and status, on the pages whose dossiers the user sees:
        # counting the dossiers took half a second at a million.
        counters = SubmissionCount.objects.filter(status=SubmissionStatus.NEW, count__gt=0)
        pages = page_ids_for_user(request.user)
        if pages is not None:
            counters = counters.filter(page__in=pages)
        rows = counters.order_by("-count").values("page__title", "page_id", new=F("count"))[:10]
        index = reverse("wagtail_qf_submissions:index")
        return {
            "rows": [{**row, "url": f"{index}?status=new&page={row['page_id']}"} for row in rows],
            "total": sum(row["new"] for row in rows),
            "index_url": index,
        }
