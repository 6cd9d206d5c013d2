"""What an agent may do with the dossiers they see (``dossiers.access``): Wagtail's
permission policy of ``Submission``.

Seeing follows the page rights; changing a status needs ``change_submission``,
exporting ``export_submission``.
"""

from django.db.models import QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from ..dossiers.access import has_pages, sees, submissions_for_user
from ..models import Submission


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Page rights for seeing; model permissions for changing and exporting."""

    def user_has_permission(self, user, action) -> bool:
        if not user.is_active:
            return False
        if user.is_superuser:
            return action != "add"
        if action == "view":
            return has_pages(user)
        if action in ("change", "export"):
            return super().user_has_permission(user, action) and has_pages(user)
        return False  # dossiers are created by citizens and removed by the retention purge

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if self.user_has_any_permission(user, actions):
            return submissions_for_user(user)
        return Submission.objects.none()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action) and sees(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)


permission_policy = SubmissionPermissionPolicy(Submission)
