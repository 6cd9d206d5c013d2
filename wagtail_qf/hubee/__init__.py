"""HubEE "téléDossiers" client: forward a dossier to a commune's information system."""

from .client import HubEEClient, HubEEError, HubEERejected, HubEEUnavailable
from .status import to_qf_status
from .types import Applicant, Attachment, FolderDraft

__all__ = [
    "Applicant",
    "Attachment",
    "FolderDraft",
    "HubEEClient",
    "HubEEError",
    "HubEERejected",
    "HubEEUnavailable",
    "to_qf_status",
]
