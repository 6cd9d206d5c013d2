"""The page editor's panel with the page's dossier count (no model import: used by the page)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class SubmissionsCountPanel(Panel):
    """Read-only panel in the page editor: how many dossiers this page received."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_qf/admin/page_submissions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["count"] = page.qf_submissions.count() if page.pk else 0
            context["new"] = page.qf_submissions.filter(status="new").count() if page.pk else 0
            context["url"] = f"{reverse('wagtail_qf_submissions:index')}?page={page.pk}"
            return context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Dossiers reçus"))
        super().__init__(*args, **kwargs)
