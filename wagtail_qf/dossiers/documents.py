"""Documents of a dossier: the family's complements and the agents' attachments.

Whatever comes in is checked here, for both sides, before anything is stored:

- its type is read from its first bytes (PDF, JPEG, PNG: ``WAGTAIL_QF["DOCUMENTS"]["TYPES"]``),
  never from its name; size and count limits (``MAX_SIZE``, ``MAX_FILES``);
- the site's virus scan runs on it (``SCAN``: a callable that raises ``DocumentRefused``;
  ``clamd_scan`` talks to ClamAV);
- an image is decoded and written again by Pillow: its metadata (place, device) and anything
  appended to it (a polyglot: HTML, a ZIP…) are gone;
- a PDF protected by a password, or carrying JavaScript, an automatic action, a launch or an
  embedded file, is refused.

A refusal is a ``DocumentRefused`` with a French message for the person, logged without
personal data (its reason, type and size). Files go to the private storage of
``models.documents``; they are served by ``file_response`` to whoever the caller checked may
see them, and deleted with their dossier (``erase``, the retention purge; ``file_deleted``).
"""

import hashlib
import io
import logging
import socket
import struct
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter, log

from ..conf import DEFAULTS, qf_settings
from ..models import DocumentAuthor, DossierDocument, DossierLogEntry, Submission, SubmissionStatus
from ..models.documents import DOCUMENT_TYPES
from ..typed import typed_text
from . import history
from .notifications import notify_complement_received

logger = logging.getLogger("wagtail_qf.documents")

COMPLEMENT = "wagtail_qf.complement"
ATTACHED = "wagtail_qf.document"
DOWNLOADED = "wagtail_qf.document_download"
# The editors' webhook of a complement (``history.announce``).
COMPLEMENT_EVENT = "dossier.complement_received"

MESSAGE_MAX_LENGTH = 2000

# First bytes of each type.
SIGNATURES = {"pdf": b"%PDF-", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
# Pillow's name of each image type.
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
# Names that make a PDF act on its own (run a script, open something, carry a file). An
# ``/OpenAction`` that is only a destination (« open at page 1 », an array) is harmless.
ACTIVE_PDF_NAMES = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
}
TYPE_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}
# Characters of a file's name in a refusal message (the rest is cut: « … »).
SHOWN_NAME_MAX = 80


class DocumentRefused(ValueError):
    """A document, or a sending, that cannot be accepted: ``message`` tells the person why and
    what to do (French); ``reason`` is a short code for the logs (no personal data)."""

    def __init__(self, message: str = "", reason: str = "refused"):
        super().__init__(message or reason)
        self.message = message
        self.reason = reason


@dataclass
class Checked:
    """A document that passed the checks: what will be stored."""

    name: str
    type: str  # a key of DOCUMENT_TYPES
    data: bytes

    @property
    def content_type(self) -> str:
        return DOCUMENT_TYPES[self.type][0]


# -- the checks -------------------------------------------------------------------------------


def _own_name(name) -> str:
    """The file's own name: no folder, no control, invisible or reserved character."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())  # every kind of space (non-breaking, thin…) one space
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')
    return " ".join(name.split()).strip(" .")


def shown_name(name) -> str:
    """The file's name in a refusal message: its own name, at most ``SHOWN_NAME_MAX`` characters."""
    name = _own_name(name) or "document"
    return name if len(name) <= SHOWN_NAME_MAX else name[: SHOWN_NAME_MAX - 1] + "…"


def clean_name(name: str, kind: str) -> str:
    """The file's name as shown to the agents: no folder, no control or reserved character, at
    most 100 characters before its extension, which is the one of its real type."""
    name = _own_name(name)
    stem, suffix = name, Path(name).suffix.lower()
    if suffix in (".pdf", ".jpg", ".jpeg", ".png"):
        stem = name[: -len(suffix)]
    extension = ".jpeg" if kind == "jpeg" and suffix == ".jpeg" else DOCUMENT_TYPES[kind][1]
    return (stem[:100].strip(" .") or "document") + extension


def detect_type(head: bytes) -> str | None:
    """The document's type from its first bytes, or None."""
    return next((kind for kind, signature in SIGNATURES.items() if head.startswith(signature)), None)


def check(upload, *, page_id=None) -> Checked:
    """Check an uploaded file (a Django ``UploadedFile`` or any file with ``name``): what to
    store, or ``DocumentRefused``. Refusals are logged here, without the file's name."""
    try:
        return _check(upload)
    except DocumentRefused as refusal:
        logger.warning(
            "document refused reason=%s page=%s size=%s",
            refusal.reason,
            page_id,
            getattr(upload, "size", None),
        )
        raise


def _check(upload) -> Checked:
    options = qf_settings.DOCUMENTS
    name = shown_name(getattr(upload, "name", ""))
    limit = options["MAX_SIZE"]
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        upload.seek(0)
        data = upload.read(limit + 1)
    else:
        upload.seek(0)
        data = upload.read()
    if len(data) > limit:
        raise DocumentRefused(
            _(
                "« %(name)s » dépasse la taille maximale de %(max)s par fichier. Réduisez-le (par "
                "exemple en le numérisant en noir et blanc ou à une résolution plus faible), puis "
                "envoyez-le de nouveau."
            )
            % {"name": name, "max": filesizeformat(limit)},
            "too_large",
        )
    if not data:
        raise DocumentRefused(
            _("« %(name)s » est vide. Choisissez un autre fichier.") % {"name": name}, "empty"
        )
    kind = detect_type(data[:16])
    if kind is None or kind not in options["TYPES"]:
        raise DocumentRefused(
            _(
                "« %(name)s » n'est pas un fichier %(types)s : nous vérifions son contenu, pas seulement "
                "son nom. Enregistrez votre document dans l'un de ces formats, puis envoyez-le de nouveau."
            )
            % {"name": name, "types": _(" ou ").join(TYPE_LABELS[t] for t in options["TYPES"])},
            "type",
        )
    scan(data, name)
    data = _check_pdf(data, name) if kind == "pdf" else _reencode_image(data, kind, name)
    return Checked(clean_name(getattr(upload, "name", ""), kind), kind, data)


def scan(data: bytes, name: str) -> None:
    """The site's virus scan (``WAGTAIL_QF["DOCUMENTS"]["SCAN"]``), if any."""
    path = qf_settings.DOCUMENTS["SCAN"]
    if not path:
        return
    try:
        import_string(path)(data)
    except DocumentRefused as refusal:
        raise DocumentRefused(
            refusal.message
            or _(
                "« %(name)s » a été refusé par notre contrôle antivirus. Vérifiez votre appareil, puis "
                "envoyez une autre copie du document."
            )
            % {"name": name},
            refusal.reason,
        ) from None


def _unreadable(name: str) -> DocumentRefused:
    return DocumentRefused(
        _(
            "« %(name)s » est illisible ou endommagé. Vérifiez qu'il s'ouvre sur votre appareil, puis "
            "envoyez-le de nouveau."
        )
        % {"name": name},
        "unreadable",
    )


def _reencode_image(data: bytes, kind: str, name: str) -> bytes:
    """The image decoded and written again: its pixels only (no metadata, nothing appended)."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != IMAGE_FORMATS[kind]:
                    raise _unreadable(name)
                image.load()
                image = ImageOps.exif_transpose(image)  # the photo stays upright without its EXIF
    except DocumentRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _unreadable(name) from None
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if kind == "png" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.info.clear()  # comments, ICC profile, EXIF, text chunks: none is written again
    out = io.BytesIO()
    if kind == "jpeg":
        image.save(out, "JPEG", quality=90)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _check_pdf(data: bytes, name: str) -> bytes:
    """The PDF as sent, unless it is encrypted or active (``ACTIVE_PDF_NAMES``, an ``/OpenAction``
    that is an action), looked for in every object reachable from its trailer (names decoded)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused(
                _(
                    "« %(name)s » est protégé par un mot de passe. Enregistrez-le sans protection, puis "
                    "envoyez-le de nouveau."
                )
                % {"name": name},
                "encrypted",
            )
        pending, seen = [reader.trailer], set()
        while pending:
            item = pending.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                for field_name, value in item.items():
                    if field_name in ACTIVE_PDF_NAMES or (
                        field_name == "/OpenAction" and isinstance(value.get_object(), DictionaryObject)
                    ):
                        raise _active(name)
                    pending.append(value)
            elif isinstance(item, ArrayObject):
                pending.extend(item)
            elif isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES:
                raise _active(name)
    except DocumentRefused:
        raise
    except Exception:  # noqa: BLE001 -- pypdf raises many kinds on a broken file: all mean unreadable
        raise _unreadable(name) from None
    return data


def _active(name: str) -> DocumentRefused:
    return DocumentRefused(
        _(
            "« %(name)s » comporte des éléments actifs (script, action automatique ou fichier joint) que "
            "nous ne pouvons pas accepter. Enregistrez-en une copie simple (« Imprimer », puis "
            "« Enregistrer au format PDF ») et envoyez cette copie."
        )
        % {"name": name},
        "active_pdf",
    )


# -- clamd -------------------------------------------------------------------------------------

CLAMD_CHUNK = 64 * 1024


def clamd_scan(data: bytes) -> None:
    """A virus scan by ClamAV's daemon (``WAGTAIL_QF["DOCUMENTS"]["CLAMD"]``: its Unix socket,
    or HOST and PORT), through its INSTREAM command. Set ``SCAN`` to this function's path to
    use it. A virus found, or a daemon that cannot answer, refuses the document: nothing
    unchecked gets in."""
    options = {**DEFAULTS["DOCUMENTS"]["CLAMD"], **qf_settings.DOCUMENTS["CLAMD"]}
    try:
        if options.get("HOST"):
            connection = socket.create_connection(
                (options["HOST"], options["PORT"]), timeout=options["TIMEOUT"]
            )
        else:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(options["TIMEOUT"])
            connection.connect(options["SOCKET"])
        with connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CLAMD_CHUNK):
                chunk = data[start : start + CLAMD_CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = _read_reply(connection)
    except OSError as error:
        logger.error("clamd unreachable error=%s", type(error).__name__)
        reply = ""
    if reply.endswith("FOUND"):
        logger.warning("clamd found a virus")
        raise DocumentRefused(reason="virus")
    if not reply.endswith("OK"):
        if reply:
            logger.error("clamd could not scan reply=%s", reply[-80:])
        raise DocumentRefused(
            _("Nous ne pouvons pas vérifier vos fichiers pour le moment. Réessayez dans quelques minutes."),
            "scan_unavailable",
        )


def _read_reply(connection) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


# -- the two ways in ---------------------------------------------------------------------------


def add_family_documents(submission, files, message: str = "") -> list[DossierDocument]:
    """The family answers a request for complements: ``message`` and ``files`` (uploaded files),
    all accepted or none (``DocumentRefused``). The dossier must be « En attente de
    compléments »; it goes back to the agents (``STATUS_AFTER_COMPLEMENT``), who are e-mailed, and
    to the editors' software (webhook ``dossier.complement_received``: how many documents, no
    name); the history keeps the message and the documents' names. Returns the stored documents."""
    options = qf_settings.DOCUMENTS
    files, message = list(files or []), typed_text(message or "").strip()
    if submission.status != SubmissionStatus.AWAITING or submission.anonymised_at:
        raise _refused(
            _(
                "Ce dossier n'attend plus de compléments : vous ne pouvez plus y joindre de message ni de "
                "document. Pour toute question, contactez votre mairie."
            ),
            "not_awaiting",
            submission,
        )
    if not files and not message:
        raise _refused(_("Écrivez un message ou joignez au moins un document."), "nothing", submission)
    if "\x00" in message:  # no textarea sends it; the database could not keep it
        raise _refused(
            _("Votre message contient un caractère qui ne peut pas être enregistré : écrivez-le à nouveau."),
            "unreadable_character",
            submission,
        )
    if len(message) > MESSAGE_MAX_LENGTH:
        raise _refused(
            _("Votre message dépasse %(max)d caractères : raccourcissez-le.") % {"max": MESSAGE_MAX_LENGTH},
            "message_too_long",
            submission,
        )
    if len(files) > options["MAX_FILES"]:
        raise _refused(
            _(
                "Vous pouvez envoyer au plus %(max)d fichiers à la fois. Retirez-en, ou regroupez plusieurs "
                "pages dans un seul PDF."
            )
            % {"max": options["MAX_FILES"]},
            "too_many",
            submission,
        )
    checked = [check(upload, page_id=submission.page_id) for upload in files]
    with _storing() as stored:
        # Locked, read again: two sendings at once make one answer.
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        if current.status != SubmissionStatus.AWAITING:
            raise _refused(_("Ce dossier n'attend plus de compléments."), "not_awaiting", submission)
        for item in checked:
            stored.append(_store(submission, item, DocumentAuthor.FAMILY))
        log(
            submission,
            COMPLEMENT,
            data={"from_family": True, "message": message, "names": [item.name for item in checked]},
        )
        submission.status = current.status
        history.change_status(submission, options["STATUS_AFTER_COMPLEMENT"], None)
        transaction.on_commit(lambda: notify_complement_received.enqueue(submission.pk))
        history.announce(COMPLEMENT_EVENT, submission, documents=len(stored))
    logger.info("complements received page=%s documents=%s", submission.page_id, len(stored))
    return stored


def add_agent_document(submission, user, file, visible_to_family: bool = False) -> DossierDocument:
    """An agent attaches a document to the dossier (e.g. the decision letter), seen by the family
    on its follow-up page when ``visible_to_family``. Same checks as the family's."""
    if submission.anonymised_at:
        raise _refused(
            _("Les données de ce dossier ont été effacées : vous ne pouvez plus y joindre de document."),
            "anonymised",
            submission,
        )
    item = check(file, page_id=submission.page_id)
    with _storing() as stored:
        document = _store(
            submission, item, DocumentAuthor.AGENT, user=user, visible_to_family=visible_to_family
        )
        stored.append(document)
        log(
            submission,
            ATTACHED,
            user=user,
            data={"name": item.name, "visible_to_family": bool(visible_to_family), "document": document.pk},
        )
    return document


@contextmanager
def _storing():
    """A transaction storing documents (the list it yields): if it fails, their files go too."""
    stored = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise


def _refused(message: str, reason: str, submission) -> DocumentRefused:
    logger.warning("documents refused reason=%s page=%s", reason, submission.page_id)
    return DocumentRefused(message, reason)


def _store(submission, item: Checked, author, user=None, visible_to_family=False) -> DossierDocument:
    document = DossierDocument(
        submission=submission,
        author=author,
        user=user,
        original_name=item.name,
        content_type=item.content_type,
        size=len(item.data),
        sha256=hashlib.sha256(item.data).hexdigest(),
        visible_to_family=visible_to_family or author == DocumentAuthor.FAMILY,
    )
    document.file.save("document" + DOCUMENT_TYPES[item.type][1], ContentFile(item.data), save=False)
    document.save()
    return document


# -- reading, serving, forgetting ---------------------------------------------------------------


def family_documents(submission):
    """The documents the family may see: those it sent, and those the agents made visible to it."""
    return submission.documents.filter(visible_to_family=True)


def file_response(document, user=None) -> FileResponse:
    """The document as a download, never shown inline, never sniffed; logged when ``user`` (an
    agent) downloads it. The caller checked who may see it."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:  # gone from the storage (restored database, lost volume): logged
        logger.error("document file missing document=%s page=%s", document.pk, document.submission.page_id)
        raise Http404 from None
    if user is not None:
        log(document.submission, DOWNLOADED, user=user, data={"name": document.original_name})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def erase(submission_ids) -> None:
    """The retention purge: the dossiers' documents go (their files with them, ``file_deleted``),
    and their names and the family's messages leave the history."""
    DossierDocument.objects.filter(submission_id__in=submission_ids).delete()
    content_type = ContentType.objects.get_for_model(Submission)
    entries = DossierLogEntry.objects.filter(
        content_type=content_type,
        object_id__in=[str(pk) for pk in submission_ids],
        action__in=[COMPLEMENT, ATTACHED, DOWNLOADED],
    )
    for entry in entries:
        for key in ("message", "names", "name"):
            entry.data.pop(key, None)
        entry.save(update_fields=["data"])


def file_deleted(sender, instance, **kwargs) -> None:
    """Receiver of ``post_delete`` for ``DossierDocument`` (a dossier deleted, the purge): its file
    leaves the storage once the deletion is committed."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# -- the history ---------------------------------------------------------------------------------


def register(actions) -> None:
    """The history entries of documents (Wagtail log actions)."""

    @actions.register_action(COMPLEMENT)
    class ComplementFormatter(LogFormatter):
        label = gettext_lazy("Compléments reçus de la famille")

        def format_message(self, log_entry) -> str:
            names = log_entry.data.get("names")
            if names:
                return _("a envoyé des compléments : %(names)s") % {"names": ", ".join(names)}
            return _("a envoyé des compléments")

        def format_comment(self, log_entry) -> str:
            return log_entry.data.get("message", "")

    @actions.register_action(ATTACHED)
    class AttachedFormatter(LogFormatter):
        label = gettext_lazy("Document joint")

        def format_message(self, log_entry) -> str:
            visible = log_entry.data.get("visible_to_family")
            name = log_entry.data.get("name")
            if name is None:
                return _("a joint un document")
            if visible:
                return _("a joint le document « %(name)s » (visible par la famille)") % {"name": name}
            return _("a joint le document « %(name)s » (réservé aux agents)") % {"name": name}

    @actions.register_action(DOWNLOADED)
    class DownloadedFormatter(LogFormatter):
        label = gettext_lazy("Téléchargement d'un document")

        def format_message(self, log_entry) -> str:
            name = log_entry.data.get("name")
            if name is None:
                return _("a téléchargé un document")
            return _("a téléchargé le document « %(name)s »") % {"name": name}
