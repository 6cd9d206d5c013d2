from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from ...admin.permissions import permission_policy, submissions_for_user
from ...models import Submission


class SubmissionPermissionHelper(PermissionHelper):
    """Delegates to the inbox's permission policy."""

    def user_can_list(self, user):
        return permission_policy.user_has_permission(user, "view")

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return permission_policy.user_has_permission_for_instance(user, "view", obj)

    def user_can_edit_obj(self, user, obj):
        return permission_policy.user_has_permission_for_instance(user, "change", obj)

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_copy_obj(self, user, obj):
        return False


@modeladmin_register
class SubmissionModelAdmin(ModelAdmin):
    model = Submission
    menu_label = _("Dossiers QF (modeladmin)")
    menu_icon = "form"
    base_url_path = "qf-modeladmin"
    permission_helper_class = SubmissionPermissionHelper
    list_display = ("reference", "family_name", "given_names", "page", "qf_value", "status", "submitted_at")
    list_filter = ("status", "qf_provider", "submitted_at")
    search_fields = ("reference", "family_name")
    inspect_view_enabled = True
    list_export = ("reference", "family_name", "given_names", "qf_value", "status", "submitted_at")

    def get_queryset(self, request):
        return submissions_for_user(request.user).select_related("page")
