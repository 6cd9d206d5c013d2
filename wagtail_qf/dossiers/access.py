"""Which dossiers a user may see: one rule for the inbox, exports, history, panels, the
editors' tokens and modeladmin.

As for Wagtail's form submissions, an agent sees the dossiers of the QF pages
they may edit (so commune A's agents never see commune B's dossiers).
Superusers see everything. Sites can narrow it with the
``filter_qf_submissions_for_user`` hook. What an agent may *do* with them (change a
status, export) is the admin's permission policy (``admin.permissions``).
"""

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail import hooks
from wagtail.models import get_page_models
from wagtail.permissions import policy_registry

from ..models import AbstractQFTransmissionPage, EditorToken, Submission


def qf_page_types() -> list[ContentType]:
    models = [m for m in get_page_models() if issubclass(m, AbstractQFTransmissionPage)]
    return list(ContentType.objects.get_for_models(*models).values())


def pages_for_user(user) -> QuerySet:
    """The QF pages whose dossiers ``user`` may see."""
    Page = swapper.load_model("wagtailcore", "Page")
    pages = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    pages = pages.filter(content_type__in=qf_page_types())
    for fn in hooks.get_hooks("filter_qf_submissions_for_user"):
        pages = fn(user, pages)
    return pages


def visible_page_ids(user) -> list[int]:
    """The ids of the QF pages whose dossiers ``user`` sees (``pages_for_user``), worked out once
    per user object, so once per request: the listing, its counts, its filters and the rights
    checks of one page of the inbox all ask. Given as a list, they let the database read an
    index once for all the pages, where the permissions' subquery made it read it once per page."""
    if not hasattr(user, "_qf_page_ids"):
        user._qf_page_ids = list(pages_for_user(user).order_by().values_list("pk", flat=True))
    return user._qf_page_ids


def visible_pages(user) -> QuerySet:
    """The pages of ``visible_page_ids``, for a choice among them (no permission query again)."""
    return swapper.load_model("wagtailcore", "Page").objects.filter(pk__in=visible_page_ids(user))


def page_ids_for_user(user) -> list[int] | None:
    """The ids of the QF pages whose dossiers ``user`` sees, to filter the counters kept per
    page (inbox tabs, statistics, dashboard); None for an active superuser: every page."""
    if user.is_active and user.is_superuser:
        return None
    return visible_page_ids(user)  # none for an inactive user (Wagtail's policy)


def token_pages_for_user(user) -> QuerySet:
    """The QF pages a software editor's token made by ``user`` may read: those whose
    dossiers ``user`` sees (a token never reads more than its author)."""
    pages = EditorToken._meta.get_field("pages").related_model.objects
    if user is None or not user.is_active:
        return pages.none()
    return pages.filter(pk__in=pages_for_user(user).values("pk"))


def tokens_for_user(user) -> QuerySet:
    """The editor tokens ``user`` may manage: those reading only pages they may choose.

    A token that also reads another commune's pages is out of their reach: changing or
    renewing it would hand them, or an editor of their choice, that commune's dossiers."""
    if user.is_superuser:
        return EditorToken.objects.all()
    pages = EditorToken._meta.get_field("pages").related_model.objects
    others = pages.exclude(pk__in=token_pages_for_user(user).values("pk"))
    return EditorToken.objects.exclude(pages__in=others)


def submissions_for_user(user) -> QuerySet:
    if not user.is_active:
        return Submission.objects.none()
    if user.is_superuser:
        return Submission.objects.all()
    return Submission.objects.filter(page__in=visible_page_ids(user))


def sees(user, submission) -> bool:
    """Whether ``submission`` is among ``submissions_for_user(user)``, without a query (the
    pages are worked out once per request)."""
    return user.is_active and (user.is_superuser or submission.page_id in visible_page_ids(user))


def has_pages(user) -> bool:
    """Whether ``user`` may see any QF page."""
    return bool(visible_page_ids(user))
