"""Documents of a dossier: the family's complements and the agents' attachments.

Their files live in a private storage (``WAGTAIL_QF["DOCUMENTS"]``): a key of Django's
``STORAGES`` (S3 through django-storages in production), else a directory outside
``MEDIA_ROOT``. No URL ever points at them: the app serves each one to whoever may see it
(``dossiers.documents``). The checks of what comes in are the domain's, not the model's.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from ..conf import qf_settings

# The types a document may have, by their key in ``WAGTAIL_QF["DOCUMENTS"]["TYPES"]``:
# (content type, extension of the stored file).
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
}


class PrivateFileSystemStorage(FileSystemStorage):
    """A directory of files that have no URL: asking for one is a programming error."""

    def url(self, name) -> str:
        raise ValueError("Documents of a dossier have no public URL: serve them through the app.")


def default_directory() -> Path:
    """``<MEDIA_ROOT's parent>/private/wagtail_qf``, else ``<BASE_DIR>/private/wagtail_qf``, else
    ``private/wagtail_qf`` in the current directory (where Django's own storage would write)."""
    if settings.MEDIA_ROOT:
        base = Path(settings.MEDIA_ROOT).resolve().parent
    else:
        base = Path(getattr(settings, "BASE_DIR", None) or Path.cwd()).resolve()
    return base / "private" / "wagtail_qf"


def _public_roots() -> list[Path]:
    return [Path(root).resolve() for root in (settings.MEDIA_ROOT, settings.STATIC_ROOT) if root]


def configured_storage() -> Storage:
    """The storage ``WAGTAIL_QF["DOCUMENTS"]`` names; a directory under a public root is refused."""
    options = qf_settings.DOCUMENTS
    if options["STORAGE"] in settings.STORAGES:
        return storages[options["STORAGE"]]
    location = Path(options["DIRECTORY"] or default_directory()).resolve()
    for root in _public_roots():
        if location == root or root in location.parents:
            raise ImproperlyConfigured(
                f"The documents' directory {location} is under {root}, served to the public: choose another."
            )
    return PrivateFileSystemStorage(location=location, base_url=None)


class DocumentStorage(LazyObject):
    """The storage of the documents, read from the settings when first used and again after
    they change (``forget_storage``): the model's field keeps this one object."""

    def _setup(self):
        self._wrapped = configured_storage()


document_storage = DocumentStorage()


def documents_storage() -> Storage:
    """The ``storage`` callable of ``DossierDocument.file`` (kept by name in the migrations)."""
    return document_storage


def forget_storage(*, setting, **kwargs) -> None:
    """Receiver of ``setting_changed``: the storage is read again from the new settings."""
    if setting in ("WAGTAIL_QF", "STORAGES", "MEDIA_ROOT", "STATIC_ROOT"):
        document_storage._wrapped = empty


def document_path(document, filename) -> str:
    """A random name under the dossier's folder: the family's file name stays in the database."""
    extension = Path(filename).suffix.lower()
    return f"dossiers/{document.submission_id}/{uuid.uuid4().hex}{extension}"


class DocumentAuthor(models.TextChoices):
    FAMILY = "family", _("la famille")
    AGENT = "agent", _("un agent")


class DossierDocument(models.Model):
    submission = models.ForeignKey(
        "wagtail_qf.Submission", on_delete=models.CASCADE, related_name="documents", verbose_name=_("dossier")
    )
    author = models.CharField(_("déposé par"), max_length=10, choices=DocumentAuthor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agent"),
    )
    original_name = models.CharField(_("nom du fichier"), max_length=120)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    file = models.FileField(_("fichier"), storage=documents_storage, upload_to=document_path, max_length=200)
    visible_to_family = models.BooleanField(_("visible par la famille"), default=False)
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("document d'un dossier")
        verbose_name_plural = _("documents des dossiers")

    def __str__(self):
        return self.original_name
