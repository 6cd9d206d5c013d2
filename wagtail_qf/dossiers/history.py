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
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, npgettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log
from wagtail.permission_policies import ModelPermissionPolicy

from ..conf import qf_settings
from ..models import (
    DossierLogEntry,
    EditorToken,
    Export,
    ExportedSubmission,
    HubEEForwarding,
    HubEEState,
    Source,
    Submission,
    SubmissionStatus,
)
from ..signals import dossier_event, submission_status_changed
from .access import submissions_for_user, tokens_for_user

logger = logging.getLogger("wagtail_qf.dossiers")
token_permission_policy = ModelPermissionPolicy(EditorToken)

STATUS = "wagtail_qf.status"
COMMENT = "wagtail_qf.comment"
VIEW = "wagtail_qf.view"
EXPORT = "wagtail_qf.export"
PDF = "wagtail_qf.pdf"
COUNTER = "wagtail_qf.counter"
TRANSMISSION = "wagtail_qf.transmission"
MESSAGE = "wagtail_qf.message"
TOKEN_RENEWED = "wagtail_qf.token_renewed"  # noqa: S105 -- a log action's name, not a secret

# How a new dossier became « Reçu » (the values of ``WAGTAIL_QF["RECEIVED_WHEN"]``).
OPENED = "opened"
FETCHED = "fetched"
# Where an e-mail to the family stands (``dossiers.messages``), in its history entry.
QUEUED, SENT, FAILED = "queued", "sent", "failed"
DELIVERY_LABELS = {
    QUEUED: _("envoi en cours"),
    SENT: _("envoyé"),
    FAILED: _("échec de l'envoi"),
}


def status_label(value) -> str:
    try:
        return SubmissionStatus(value).label
    except ValueError:
        return value


def register(actions) -> None:
    DossierLogEntry.objects.use_visibility_rule(viewable_log_entries)
    actions.register_model(Submission, DossierLogEntry)
    actions.register_model(Export, DossierLogEntry)
    # A token's entries too: Wagtail's generic log shows them to whoever may manage any token.
    actions.register_model(EditorToken, DossierLogEntry)

    @actions.register_action(STATUS)
    class StatusFormatter(LogFormatter):
        label = _("Changement de statut")

        def format_message(self, log_entry) -> str:
            return _("a modifié le statut : %(old)s > %(new)s") % {
                "old": status_label(log_entry.data.get("old")),
                "new": status_label(log_entry.data.get("new")),
            }

        def format_comment(self, log_entry) -> str | Promise:
            received = log_entry.data.get("received")
            if received == OPENED:
                return _("dossier ouvert par un agent")
            if received == FETCHED:
                return _("dossier récupéré par le logiciel « %(editor)s »") % {
                    "editor": log_entry.data.get("editor", "")
                }
            return log_entry.data.get("message", "")

    @actions.register_action(MESSAGE)
    class MessageFormatter(LogFormatter):
        label = _("Information transmise à la personne concernée")

        def format_message(self, log_entry) -> str:
            state = DELIVERY_LABELS.get(log_entry.data.get("state"), log_entry.data.get("state", ""))
            if log_entry.data.get("notice"):
                return _("a prévenu la personne concernée du changement de statut (courriel : %(state)s)") % {
                    "state": state
                }
            return _("a transmis une information à la personne concernée (courriel : %(state)s)") % {
                "state": state
            }

        def format_comment(self, log_entry) -> str:
            return log_entry.data.get("message", "")

    @actions.register_action(COMMENT)
    class CommentFormatter(LogFormatter):
        label = _("Commentaire interne")

        def format_message(self, log_entry) -> str | Promise:
            return _("a ajouté un commentaire")

        def format_comment(self, log_entry) -> str:
            return log_entry.data.get("comment", "")

    actions.register_action(VIEW, _("Consultation"), _("a consulté le dossier"))
    actions.register_action(PDF, _("Récapitulatif PDF"), _("a téléchargé le récapitulatif PDF"))
    actions.register_action(COUNTER, _("Saisie au guichet"), _("a saisi le dossier au guichet"))
    actions.register_action(TOKEN_RENEWED, _("Nouveau jeton"), _("a remplacé le jeton de l’éditeur"))

    @actions.register_action(TRANSMISSION)
    class TransmissionFormatter(LogFormatter):
        label = _("Transmission du dossier")

        def format_message(self, log_entry) -> str | Promise:
            if log_entry.data.get("source") == Source.FRANCECONNECT:
                return _("a transmis le dossier avec FranceConnect")
            return _("a transmis le dossier sans FranceConnect")

    @actions.register_action(EXPORT)
    class ExportFormatter(LogFormatter):
        label = _("Export de dossiers")

        def format_message(self, log_entry) -> str:
            return _("a exporté %(count)s dossier(s)") % {"count": log_entry.data.get("count", 0)}


# ``change_status``'s answer when the status is no longer the one the agent saw.
STALE = "stale"


def change_status(submission, new_status, user, message="", *, note="", seen="") -> str | None:
    """Change the status, log it and tell the family (``messages.tell_status``: ``message``, the
    words of the agent or of the commune's software for the family, else the page's short notice);
    ``submission_status_changed`` once committed. ``note``: the entry's comment for the agents only
    (HubEE's status), in place of the message, which then stands in its own entry.

    Whoever changes it (an agent, HubEE, the commune's software), the family is told here, once:
    the status is read again under a lock, so two changes at once (a double click, two agents)
    never both act on the status their page loaded. ``seen``: the status the agent chose from;
    if it is no longer the current one, nothing is done (``STALE``). Returns what became of
    telling the family (``messages.QUEUED``, ``NO_ADDRESS`` or ``NOT_ASKED``), ``STALE``, or None
    when the dossier already had that status (nothing is logged nor sent)."""
    from . import messages  # it writes its e-mails in this history: imported when needed

    with transaction.atomic():
        old = Submission.objects.select_for_update().values_list("status", flat=True).get(pk=submission.pk)
        submission.status = old  # the caller holds the status as it is now
        if seen and seen != old:
            return STALE
        if old == new_status:
            return None
        submission.status = new_status
        submission.save(update_fields=["status", "updated_at"])
        # The entry's comment: the note, when there is one (the family's message then has its own entry).
        log(submission, STATUS, user=user, data={"old": old, "new": new_status, "message": note or message})
        transaction.on_commit(lambda: _announce_status(submission, old, new_status, user))
        return messages.tell_status(submission, user, new_status, message)


BULK_BATCH = 500


def change_status_many(queryset, new_status, user, message="") -> int:
    """``change_status`` for every dossier of ``queryset`` (thousands, a whole filtered listing):
    a batch at a time, never all in memory. Each changed dossier gets its history entry (one
    insert per batch; the bulk action's entries share one Wagtail action UUID), its family is
    told (``messages.tell_status_many``: one e-mail per dossier with an address) and, once
    committed, ``submission_status_changed``. Returns how many changed."""
    from . import messages

    content_type = ContentType.objects.get_for_model(Submission)
    action = uuid.uuid4()
    pending = queryset.exclude(status=new_status).order_by("pk").values_list("pk", flat=True)
    changed, last = 0, 0
    while batch := list(pending.filter(pk__gt=last)[:BULK_BATCH]):
        last = batch[-1]
        with transaction.atomic():
            # Read again, locked: the old status of each is the one being replaced.
            rows = list(
                Submission.objects.select_for_update()
                .filter(pk__in=batch)
                .exclude(status=new_status)
                .values_list("pk", "status", "reference")
            )
            now = timezone.now()
            Submission.objects.filter(pk__in=[pk for pk, _old, _ref in rows]).update(
                status=new_status, updated_at=now
            )
            DossierLogEntry.objects.bulk_create(
                DossierLogEntry(
                    content_type=content_type,
                    object_id=str(pk),
                    label=reference,
                    action=STATUS,
                    data={"old": old, "new": new_status, "message": message},
                    timestamp=now,
                    user=user,
                    uuid=action,
                )
                for pk, old, reference in rows
            )
            olds = {pk: old for pk, old, _ref in rows}
            messages.tell_status_many(list(olds), user, new_status, message, action=action)
            transaction.on_commit(lambda olds=olds: _announce_many(olds, new_status, user))
        changed += len(rows)
    return changed


def _announce_many(olds, new, user):
    """``submission_status_changed`` for each dossier of a batch ({pk: old status}), if anyone listens."""
    if not submission_status_changed.has_listeners(Submission):
        return
    for submission in Submission.objects.filter(pk__in=list(olds)).iterator():
        _announce_status(submission, olds[submission.pk], new, user)


def mark_received(submission, user=None, *, via, editor="") -> bool:
    """A new dossier becomes « Reçu »: opened by an agent (``via=OPENED``, ``user``) or fetched
    by the commune's software (``via=FETCHED``, ``editor``: its token's name), when
    ``WAGTAIL_QF["RECEIVED_WHEN"]`` says so. Logged, told to the family and announced like any
    change of status; False when nothing changed (not new, or switched off)."""
    from . import messages

    if via not in qf_settings.RECEIVED_WHEN or submission.status != SubmissionStatus.NEW:
        return False
    # Conditional: two agents opening the dossier together make one change.
    if not Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.NEW).update(
        status=SubmissionStatus.RECEIVED, updated_at=timezone.now()
    ):
        return False
    old, new = SubmissionStatus.NEW, SubmissionStatus.RECEIVED
    submission.status = new
    data = {"old": old, "new": new, "received": via}
    if editor:
        data["editor"] = editor
    log(submission, STATUS, user=user, data=data)
    transaction.on_commit(lambda: _announce_status(submission, old, new, user))
    messages.tell_status(submission, user, new)
    return True


def mark_fetched(submission_ids, editor: str) -> set[int]:
    """Of ``submission_ids``, the new dossiers become « Reçu »: the commune's software (the editor's
    token named ``editor``) fetched them through the API. The ids of those that changed."""
    if FETCHED not in qf_settings.RECEIVED_WHEN or not submission_ids:
        return set()
    new = Submission.objects.filter(pk__in=list(submission_ids), status=SubmissionStatus.NEW).select_related(
        "page"
    )
    return {submission.pk for submission in new if mark_received(submission, via=FETCHED, editor=editor)}


def announce(event: str, submission, **details) -> None:
    """Once committed, tell the site's code and the editors' webhooks of an event of the dossier
    (``dossier_event``): ``event`` is its name for the editors (``"dossier.message_sent"``,
    ``"dossier.complement_received"``…, listed in the README); ``details``, its own fields
    (JSON, no personal data: they leave for the editors)."""
    transaction.on_commit(lambda: _send(dossier_event, submission=submission, event=event, details=details))


def _announce_status(submission, old, new, user):
    _send(submission_status_changed, submission=submission, old=old, new=new, user=user)


def _send(signal, **kwargs):
    """A failing receiver is logged, never shown to the agent nor to the family."""
    for receiver, outcome in signal.send_robust(Submission, **kwargs):
        if isinstance(outcome, Exception):
            logger.error(
                "receiver of a dossier's signal failed receiver=%s error=%s",
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


def record_transmission(submission, announced=None) -> None:
    """The citizen transmitted the dossier (``dossiers.creation``): the first line of its history,
    with the language the family read the journey in (``messages.family_language``); none at the
    counter, where it is the agent's. ``announced``: the data the family was told would go, for a
    dossier whose data come later (``announced_data``)."""
    language = "" if submission.source == Source.COUNTER else translation.get_language() or ""
    data = {"source": submission.source, "language": language}
    if announced is not None:
        data["announced"] = list(announced)
    log(submission, TRANSMISSION, data=data, timestamp=submission.submitted_at)


def transmission_data(submission) -> dict:
    """What the first line of the dossier's history keeps of its transmission
    (``record_transmission``); empty when there is none (a dossier made before it was kept)."""
    data = (
        DossierLogEntry.objects.for_instance(submission)
        .filter(action=TRANSMISSION)
        .values_list("data", flat=True)
        .first()
    )
    return data if isinstance(data, dict) else {}


def announced_data(submission) -> list[str] | None:
    """The keys of the data the family was told would go when it transmitted the dossier
    (``record_transmission``); None when not kept (an older dossier)."""
    announced = transmission_data(submission).get("announced")
    return announced if isinstance(announced, list) else None


def renew_token(token: EditorToken, user) -> str:
    """Replace an editor's lost or leaked token, leaving who and when in its history; the new
    token in clear (to show once)."""
    clear = token.set_new_token()
    with transaction.atomic():
        token.save(update_fields=["token_hash", "token_prefix"])
        log(token, TOKEN_RENEWED, user=user)
    return clear


def record_counter_entry(submission, user) -> None:
    """An agent typed the dossier at the counter."""
    log(submission, COUNTER, user=user)


def log_export(queryset, user, spreadsheet_format="csv") -> Export:
    """Record who exported which dossiers: one ``Export`` (also in Wagtail's log) and
    one ``ExportedSubmission`` per dossier, copied by the database itself with a
    single ``INSERT … SELECT`` over the export's own query; all of it or nothing (one transaction)."""
    with transaction.atomic():
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
    the dossier, an export's if they may view every dossier it holds and it holds one (an export
    left without dossiers, or found none, is only its author's), an editor token's if they may
    manage the token (``tokens_for_user``, with a permission on the tokens)."""
    if user.is_superuser:
        return entries
    types = ContentType.objects.get_for_models(Submission, Export, EditorToken)
    visible = submissions_for_user(user).values("pk")
    exported = ExportedSubmission.objects
    tokens = EditorToken.objects.none()
    if token_permission_policy.user_has_any_permission(user, ["add", "change", "delete", "view"]):
        tokens = tokens_for_user(user)
    return (
        entries.filter(~Q(content_type=types[Submission]) | Q(object_id__in=_keys(visible, "pk")))
        .filter(
            ~Q(content_type=types[Export])
            | Q(user=user)
            | Q(object_id__in=_keys(exported.filter(submission__in=visible), "export_id"))
        )
        .exclude(
            content_type=types[Export],
            object_id__in=_keys(exported.exclude(submission__in=visible), "export_id"),
        )
        .filter(~Q(content_type=types[EditorToken]) | Q(object_id__in=_keys(tokens, "pk")))
    )


def _keys(queryset, field) -> QuerySet:
    """``field`` of ``queryset`` as text, to match a log entry's ``object_id``."""
    return queryset.annotate(key=Cast(field, CharField())).values("key")


@dataclass
class HistoryEntry:
    """A line of the dossier's history: when, who, what (and the comment or message)."""

    timestamp: datetime.datetime
    user_display_name: str
    message: str
    comment: str = ""
    action: str = ""  # the log entry's action (``STATUS``, ``COMMENT``…); empty for an export, HubEE
    data: dict = field(default_factory=dict)  # the log entry's data
    # The views folded into this line: [{"who", "count", "last"}], the latest first.
    viewers: list = field(default_factory=list)


def entries(submission, limit: int | None = None) -> list[HistoryEntry]:
    """The dossier's history, newest first (the ``limit`` newest events; None: all): its
    transmission, status changes, messages, comments, PDF downloads, exports and HubEE deposit,
    each dated with who. The views of the detail are folded into one line that counts them: a
    hundred views never hide the rest."""
    logs = DossierLogEntry.objects.for_instance(submission)
    story = [
        HistoryEntry(
            entry.timestamp, _actor(entry), entry.message, entry.comment or "", entry.action, entry.data
        )
        for entry in logs.exclude(action=VIEW).select_related("user").order_by("-timestamp", "-pk")[:limit]
    ]
    exported = (
        Export.objects.filter(
            pk__in=ExportedSubmission.objects.filter(submission=submission).values("export_id")
        )
        .select_related("user")
        .order_by("-exported_at")[:limit]
    )
    story += [
        HistoryEntry(
            export.exported_at,
            _user_name(export.user),
            gettext("a exporté le dossier (%(format)s)") % {"format": export.format.upper()},
        )
        for export in exported
    ]
    story += _hubee_entries(submission) + _views(logs.filter(action=VIEW))
    return sorted(story, key=lambda entry: entry.timestamp, reverse=True)[:limit]


def _actor(entry) -> str:
    """Who made a log entry: an agent, the requester (the transmission), or the service itself
    (HubEE's statuses, the commune's software)."""
    if entry.user_id:
        return entry.user_display_name
    if entry.action == TRANSMISSION or (entry.data or {}).get("from_family"):  # the family's complements too
        return gettext("Le demandeur")
    return gettext("Le service en ligne")


def _views(views) -> list[HistoryEntry]:
    """The views, one line: the last viewer, how many views in all, and each agent's."""
    per_user = list(
        views.values("user_id").annotate(count=Count("pk"), last=Max("timestamp")).order_by("-last")
    )
    if not per_user:
        return []
    User = DossierLogEntry._meta.get_field("user").related_model
    users = User.objects.in_bulk([row["user_id"] for row in per_user if row["user_id"]])
    viewers = [
        {"who": _user_name(users.get(row["user_id"])), "count": row["count"], "last": row["last"]}
        for row in per_user
    ]
    total = sum(row["count"] for row in per_user)
    message = npgettext(
        "views of a dossier, folded",
        "a consulté le dossier",
        "a consulté le dossier en dernier (%(count)d consultations en tout)",
        total,
    ) % {"count": total}
    folded = viewers if total > 1 else []
    return [HistoryEntry(viewers[0]["last"], viewers[0]["who"], message, action=VIEW, viewers=folded)]


def _hubee_entries(submission) -> list[HistoryEntry]:
    """The deposit on HubEE, or its failure, from the dossier's forwarding (HubEE's statuses are
    status changes, logged as such)."""
    try:
        forwarding = submission.hubee  # kept on the dossier: its page shows it too
    except HubEEForwarding.DoesNotExist:
        return []
    service = gettext("Le service en ligne")
    if forwarding.deposited_at:
        message = gettext("a déposé le dossier sur HubEE (dossier HubEE %(folder)s)")
        return [HistoryEntry(forwarding.deposited_at, service, message % {"folder": forwarding.folder_id})]
    if forwarding.state == HubEEState.FAILED:
        message = gettext("n'a pas pu déposer le dossier sur HubEE (%(error)s, après %(attempts)d essai(s))")
        return [
            HistoryEntry(
                forwarding.updated_at,
                service,
                message % {"error": forwarding.error_label, "attempts": forwarding.attempts},
            )
        ]
    return []


def _user_name(user):
    if user is None:
        return gettext("Utilisateur supprimé")
    return user.get_full_name() or user.get_username()
