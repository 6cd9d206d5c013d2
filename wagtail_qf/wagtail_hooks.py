from django.urls import URLPattern, URLResolver, include, path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import page_deletion
from .admin.editors import EditorTokenViewSet, editor_token_viewset
from .admin.panels import NewSubmissionsPanel
from .admin.permissions import permission_policy
from .admin.statistics import URL_NAME as STATISTICS_URL_NAME
from .admin.statistics import StatisticsMenuItem, StatisticsView
from .admin.statistics import menu_item as statistics_menu_item
from .admin.viewsets import SubmissionViewSet, submission_viewset
from .dossiers import documents, history
from .journey import deeplink
from .models import Submission

register_permission_policy(Submission, permission_policy)


@hooks.register("register_admin_viewset")
def register_submission_viewset() -> SubmissionViewSet:
    return submission_viewset


@hooks.register("register_admin_viewset")
def register_editor_token_viewset() -> EditorTokenViewSet:
    return editor_token_viewset


@hooks.register("register_admin_urls")
def register_share_urls() -> list[URLResolver]:
    return [path("qf-partage/", include("wagtail_qf.share"))]


@hooks.register("register_admin_urls")
def register_statistics_urls() -> list[URLPattern]:
    return [path("qf-statistiques/", StatisticsView.as_view(), name=STATISTICS_URL_NAME)]


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item() -> StatisticsMenuItem:
    return statistics_menu_item()


@hooks.register("register_log_actions")
def register_log_actions(actions) -> None:
    history.register(actions)
    documents.register(actions)
    deeplink.register(actions)


@hooks.register("before_delete_page")
def warn_of_the_dossiers_deleted_with_a_page(request, page) -> None:
    page_deletion.warn(request, page)


@hooks.register("construct_homepage_panels")
def add_new_submissions_panel(request, panels) -> None:
    panels.append(NewSubmissionsPanel())
