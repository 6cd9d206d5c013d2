from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Submission
from . import documents
from .counter import CounterIdentityView, CounterResultView
from .permissions import permission_policy
from .views import BulkActionView, SubmissionDetailView, SubmissionIndexView, SubmissionPDFView


class SubmissionURLFinder(ModelAdminURLFinder):
    """A dossier's admin page (site history, search…) is its detail: it has no edit form."""

    edit_url_name = "wagtail_qf_submissions:inspect"

    def get_edit_url(self, instance) -> str | None:
        if self.user and not permission_policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)


class SubmissionViewSet(ModelViewSet):
    model = Submission
    name = "wagtail_qf_submissions"
    url_prefix = "quotients-familiaux"
    icon = "form"
    menu_label = _("Quotients familiaux")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = SubmissionIndexView
    # The viewset passes its own (by default the table's name) to the view: the agents' file name.
    export_filename = SubmissionIndexView.export_filename
    inspect_view_class = SubmissionDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["status"]  # required by ModelViewSet; no edit view is exposed
    url_finder_class = SubmissionURLFinder

    def get_urlpatterns(self) -> list:
        # Dossiers are read and processed, never edited as forms; created by citizens, or at the counter.
        keep = {"index", "index_results", "inspect"}
        patterns = [p for p in super().get_urlpatterns() if p.name in keep]
        return patterns + [
            path("bulk/", BulkActionView.as_view(index_view=self.index_view), name="bulk"),
            path("<int:pk>/pdf/", SubmissionPDFView.as_view(), name="pdf"),
            # An agent creates a dossier for a family at the counter (``add_submission``).
            path("guichet/", CounterIdentityView.as_view(), name="counter"),
            path("guichet/resultat/", CounterResultView.as_view(), name="counter_result"),
            *documents.urlpatterns(),
        ]

    def get_inspect_view_kwargs(self, **kwargs) -> dict:
        kwargs = super().get_inspect_view_kwargs(**kwargs)
        kwargs.update(edit_url_name=None, delete_url_name=None)
        return kwargs

    def get_index_view_kwargs(self, **kwargs) -> dict:
        kwargs = super().get_index_view_kwargs(**kwargs)
        kwargs.update(edit_url_name=None, delete_url_name=None, add_url_name=None)
        return kwargs


submission_viewset = SubmissionViewSet()
