"""The dossiers in ``wagtail-modeladmin``: a read-only listing.

A dossier holds certified data: it is never edited, created or deleted here. Each
row links to its processing in the inbox (status, comments, history); exports follow
the inbox's rule (``export_submission``), neutralisation and record.
"""

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from ...admin.permissions import permission_policy
from ...admin.views import SubmissionIndexView as InboxIndexView
from ...admin.views import spreadsheet_response
from ...dossiers import history
from ...dossiers.access import submissions_for_user
from ...models import Submission


class SubmissionPermissionHelper(PermissionHelper):
    """Delegates to the inbox's permission policy; nothing is changed here."""

    def user_can_list(self, user) -> bool:
        return permission_policy.user_has_permission(user, "view")

    def user_can_create(self, user) -> bool:
        return False

    def user_can_inspect_obj(self, user, obj) -> bool:
        return permission_policy.user_has_permission_for_instance(user, "view", obj)

    def user_can_edit_obj(self, user, obj) -> bool:
        return False  # processed in the inbox, never edited as a form

    def user_can_delete_obj(self, user, obj) -> bool:
        return False

    def user_can_copy_obj(self, user, obj) -> bool:
        return False


class SubmissionButtonHelper(ButtonHelper):
    def get_buttons_for_obj(
        self, obj, exclude=None, classnames_add=None, classnames_exclude=None
    ) -> list[dict]:
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        classnames = self.finalise_classname(["button"] + (classnames_add or []), classnames_exclude or [])
        return buttons + [
            {
                "url": reverse("wagtail_qf_submissions:inspect", args=[obj.pk]),
                "label": _("Traiter"),
                "classname": classnames,
                "title": _("Traiter le dossier %(reference)s dans la boîte des quotients familiaux")
                % {"reference": obj.reference},
            }
        ]


class SubmissionModelAdminIndexView(IndexView):
    def as_spreadsheet(self, queryset, spreadsheet_format) -> StreamingHttpResponse:
        filename = InboxIndexView.export_filename
        return spreadsheet_response(self.request.user, queryset, spreadsheet_format, filename)


class SubmissionModelAdminInspectView(InspectView):
    def get(self, request, *args, **kwargs) -> HttpResponse:
        history.record_view(self.instance, request.user)  # as on the inbox's detail
        return super().get(request, *args, **kwargs)


@modeladmin_register
class SubmissionModelAdmin(ModelAdmin):
    model = Submission
    menu_label = _("Dossiers QF (modeladmin)")
    menu_icon = "form"
    base_url_path = "qf-modeladmin"
    permission_helper_class = SubmissionPermissionHelper
    button_helper_class = SubmissionButtonHelper
    index_view_class = SubmissionModelAdminIndexView
    inspect_view_class = SubmissionModelAdminInspectView
    list_display = ("reference", "family_name", "given_names", "page", "qf_value", "status", "submitted_at")
    list_filter = ("status", "qf_provider", "submitted_at")
    search_fields = ("reference", "family_name")
    inspect_view_enabled = True
    inspect_view_fields = (
        "reference",
        "page",
        "commune_name",
        "status",
        "source",
        "submitted_at",
        "family_name",
        "given_names",
        "usage_name",
        "birthdate",
        "qf_value",
        "qf_month",
        "qf_year",
        "qf_provider",
        "tariff_bracket",
    )
    history_view_enabled = False  # the dossier's history is on its detail in the inbox
    # The exported columns are the inbox's (``spreadsheet_response``); this only shows the buttons.
    list_export = ("reference",)

    def get_list_export(self, request) -> tuple:
        return self.list_export if permission_policy.user_has_permission(request.user, "export") else ()

    def get_queryset(self, request) -> QuerySet:
        return submissions_for_user(request.user).select_related("page")

    def register_admin_url_finders(self) -> None:
        pass  # a dossier's admin page stays its detail in the inbox (see ``SubmissionURLFinder``)
