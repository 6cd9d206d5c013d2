"""The dossier's dated history, on Wagtail's log entries.

Status changes, comments, views of the detail and exports are logged with
actions of their own, so they show in Wagtail's reports as well as on the
dossier. Comments are internal: they stay in the log entry's data.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from ..models import Submission, SubmissionStatus

STATUS = "wagtail_qf.status"
COMMENT = "wagtail_qf.comment"
VIEW = "wagtail_qf.view"
EXPORT = "wagtail_qf.export"


def status_label(value):
    try:
        return SubmissionStatus(value).label
    except ValueError:
        return value


def register(actions):
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
    actions.register_action(EXPORT, _("Export"), _("a exporté le dossier"))


def change_status(submission, new_status, user, message=""):
    old = submission.status
    if old == new_status:
        return False
    submission.status = new_status
    submission.save(update_fields=["status", "updated_at"])
    log(submission, STATUS, user=user, data={"old": old, "new": new_status, "message": message})
    return True


def add_comment(submission, user, comment):
    log(submission, COMMENT, user=user, data={"comment": comment})


def log_export(queryset, user):
    """One « exporté » entry on each exported dossier, copied by the database itself.

    A single ``INSERT … SELECT`` over the export's own query: building a million
    log entry objects in Python would slow the export tenfold.
    """
    content_type = ContentType.objects.get_for_model(Submission)
    rows = queryset.order_by().values("pk", "reference")
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ModelLogEntry._meta.db_table} (content_type_id, label, action, data,"
            f" timestamp, user_id, object_id, content_changed, deleted)"
            f" SELECT %s, exported.reference, %s, %s, %s, %s, CAST(exported.pk AS VARCHAR(255)), %s, %s"
            f" FROM ({select}) exported",
            [content_type.pk, EXPORT, "{}", timezone.now(), user.pk, False, False, *params],
        )


def entries(submission):
    return (
        ModelLogEntry.objects.for_instance(submission)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
