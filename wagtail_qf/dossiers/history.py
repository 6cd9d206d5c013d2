"""A dossier's life after its creation: status changes, comments, views, PDF downloads,
exports, and the dated history they leave, on Wagtail's log entries.

Status changes, comments and views of the detail are logged with actions of
their own, so they show in Wagtail's reports as well as on the dossier.
Comments are internal: they stay in the log entry's data. An export is one log
entry (on the ``Export``) plus one narrow row per exported dossier.

Entries go to the dossiers' own log model (``DossierLogEntry``), whose
``viewable_by_user`` (used by Wagtail's reports) is ``viewable_log_entries``, handed to
it by ``register``.
"""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from ..models import DossierLogEntry, Export, ExportedSubmission, Submission, SubmissionStatus
from ..signals import submission_status_changed
from .access import submissions_for_user

logger = logging.getLogger("wagtail_qf.dossiers")

STATUS = "wagtail_qf.status"
COMMENT = "wagtail_qf.comment"
VIEW = "wagtail_qf.view"
EXPORT = "wagtail_qf.export"
PDF = "wagtail_qf.pdf"
COUNTER = "wagtail_qf.counter"


def status_label(value) -> str:
    try:
        return SubmissionStatus(value).label
    except ValueError:
        return value


def register(actions) -> None:
    DossierLogEntry.objects.use_visibility_rule(viewable_log_entries)
    actions.register_model(Submission, DossierLogEntry)
    actions.register_model(Export, DossierLogEntry)

    @actions.register_action(STATUS)
    class StatusFormatter(LogFormatter):
        label = _("Changement de statut")

        def format_message(self, log_entry):
            return _("a modifié le statut : %(old)s > %(new)s") % {
                "old": status_label(log_entry.data.get("old")),
                "new": status_label(log_entry.data.get("new")),
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("message", "")

    @actions.register_action(COMMENT)
    class CommentFormatter(LogFormatter):
        label = _("Commentaire interne")

        def format_message(self, log_entry):
            return _("a ajouté un commentaire")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    actions.register_action(VIEW, _("Consultation"), _("a consulté le dossier"))
    actions.register_action(PDF, _("Récapitulatif PDF"), _("a téléchargé le récapitulatif PDF"))
    actions.register_action(COUNTER, _("Saisie au guichet"), _("a saisi le dossier au guichet"))

    @actions.register_action(EXPORT)
    class ExportFormatter(LogFormatter):
        label = _("Export de dossiers")

        def format_message(self, log_entry):
            return _("a exporté %(count)s dossier(s)") % {"count": log_entry.data.get("count", 0)}


def change_status(submission, new_status, user, message="") -> bool:
    """Change the status and log it; ``submission_status_changed`` once committed.

    False when the dossier already had that status (nothing is logged nor sent)."""
    old = submission.status
    if old == new_status:
        return False
    submission.status = new_status
    submission.save(update_fields=["status", "updated_at"])
    log(submission, STATUS, user=user, data={"old": old, "new": new_status, "message": message})
    transaction.on_commit(lambda: _announce_status(submission, old, new_status, user))
    return True


def _announce_status(submission, old, new, user):
    """A failing receiver is logged, never shown to the agent."""
    outcomes = submission_status_changed.send_robust(
        Submission, submission=submission, old=old, new=new, user=user
    )
    for receiver, outcome in outcomes:
        if isinstance(outcome, Exception):
            logger.error(
                "receiver of submission_status_changed failed receiver=%s error=%s",
                getattr(receiver, "__qualname__", receiver),
                type(outcome).__name__,
            )


def add_comment(submission, user, comment) -> None:
    log(submission, COMMENT, user=user, data={"comment": comment})


def record_view(submission, user) -> None:
    """An agent opened the dossier's detail."""
    log(submission, VIEW, user=user)


def record_pdf(submission, user) -> None:
    """An agent downloaded the dossier's PDF summary."""
    log(submission, PDF, user=user)


def record_counter_entry(submission, user) -> None:
    """An agent typed the dossier at the counter."""
    log(submission, COUNTER, user=user)


def log_export(queryset, user, spreadsheet_format="csv") -> Export:
    """Record who exported which dossiers: one ``Export`` (also in Wagtail's log) and
    one ``ExportedSubmission`` per dossier, copied by the database itself with a
    single ``INSERT … SELECT`` over the export's own query."""
    export = Export.objects.create(user=user, format=spreadsheet_format)
    try:
        select, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a query Django knows to be empty (``none()``, ``pk__in=[]``)
        select = None
    if select is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ExportedSubmission._meta.db_table} (export_id, submission_id)"  # noqa: S608 -- our table, bound values
                f" SELECT %s, exported.pk FROM ({select}) exported",
                [export.pk, *params],
            )
            export.count = cursor.rowcount
        export.save(update_fields=["count"])
    log(export, EXPORT, user=user, data={"count": export.count, "format": spreadsheet_format})
    return export


def viewable_log_entries(entries, user) -> QuerySet:
    """Of ``entries`` (log entries), those ``user`` may see: a dossier's if they may view
    the dossier, an export's if they may view every dossier it holds."""
    if user.is_superuser:
        return entries
    types = ContentType.objects.get_for_models(Submission, Export)
    as_text = CharField()
    visible = submissions_for_user(user)
    visible_keys = visible.annotate(key=Cast("pk", as_text)).values("key")
    foreign_exports = (
        ExportedSubmission.objects.exclude(submission__in=visible.values("pk"))
        .annotate(key=Cast("export_id", as_text))
        .values("key")
    )
    return entries.filter(~Q(content_type=types[Submission]) | Q(object_id__in=visible_keys)).exclude(
        content_type=types[Export], object_id__in=foreign_exports
    )


@dataclass
class ExportEntry:
    """An export of the dossier, shown in its history like a log entry."""

    timestamp: datetime.datetime
    user_display_name: str
    message: str
    comment: str = ""


def entries(submission, limit=100) -> list:
    """The dossier's history, newest first: Wagtail log entries and exports."""
    logs = list(
        DossierLogEntry.objects.for_instance(submission)
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )
    exported = (
        Export.objects.filter(
            pk__in=ExportedSubmission.objects.filter(submission=submission).values("export_id")
        )
        .select_related("user")
        .order_by("-exported_at")[:limit]
    )
    logs += [
        ExportEntry(
            export.exported_at,
            _user_name(export.user),
            gettext("a exporté le dossier (%(format)s)") % {"format": export.format.upper()},
        )
        for export in exported
    ]
    return sorted(logs, key=lambda entry: entry.timestamp, reverse=True)[:limit]


def _user_name(user):
    if user is None:
        return gettext("Utilisateur supprimé")
    return user.get_full_name() or user.get_username()
