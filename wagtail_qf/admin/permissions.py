"""Who sees which dossiers: one rule for the inbox, exports, panels and modeladmin.

As for Wagtail's form submissions, an agent sees the dossiers of the QF pages
they may edit (so commune A's agents never see commune B's dossiers);
changing a status needs ``change_submission``, exporting ``export_submission``.
Superusers see everything. Sites can narrow it with the
``filter_qf_submissions_for_user`` hook.
"""

import swapper
from django.contrib.contenttypes.models import ContentType
from wagtail import hooks
from wagtail.models import get_page_models
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from ..models import AbstractQFTransmissionPage, EditorToken, Submission


def qf_page_types():
    models = [m for m in get_page_models() if issubclass(m, AbstractQFTransmissionPage)]
    return list(ContentType.objects.get_for_models(*models).values())


def pages_for_user(user):
    """The QF pages whose dossiers ``user`` may see."""
    Page = swapper.load_model("wagtailcore", "Page")
    pages = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    pages = pages.filter(content_type__in=qf_page_types())
    for fn in hooks.get_hooks("filter_qf_submissions_for_user"):
        pages = fn(user, pages)
    return pages


def token_pages_for_user(user):
    """The QF pages a software editor's token made by ``user`` may read: those whose
    dossiers ``user`` sees (a token never reads more than its author)."""
    pages = EditorToken._meta.get_field("pages").related_model.objects
    if user is None or not user.is_active:
        return pages.none()
    return pages.filter(pk__in=pages_for_user(user).values("pk"))


def tokens_for_user(user):
    """The editor tokens ``user`` may manage: those reading only pages they may choose.

    A token that also reads another commune's pages is out of their reach: changing or
    renewing it would hand them, or an editor of their choice, that commune's dossiers."""
    if user.is_superuser:
        return EditorToken.objects.all()
    pages = EditorToken._meta.get_field("pages").related_model.objects
    others = pages.exclude(pk__in=token_pages_for_user(user).values("pk"))
    return EditorToken.objects.exclude(pages__in=others)


def submissions_for_user(user):
    if not user.is_active:
        return Submission.objects.none()
    if user.is_superuser:
        return Submission.objects.all()
    return Submission.objects.filter(page__in=pages_for_user(user).values("pk"))


def has_pages(user) -> bool:
    """Whether ``user`` may see any QF page; remembered on the user object (one request)."""
    if not hasattr(user, "_qf_has_pages"):
        user._qf_has_pages = pages_for_user(user).exists()
    return user._qf_has_pages


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Page rights for seeing; model permissions for changing and exporting."""

    def user_has_permission(self, user, action):
        if not user.is_active:
            return False
        if user.is_superuser:
            return action != "add"
        if action == "view":
            return has_pages(user)
        if action in ("change", "export"):
            return super().user_has_permission(user, action) and has_pages(user)
        return False  # dossiers are created by citizens and removed by the retention purge

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return submissions_for_user(user)
        return Submission.objects.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and submissions_for_user(user).filter(pk=instance.pk).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)


permission_policy = SubmissionPermissionPolicy(Submission)
