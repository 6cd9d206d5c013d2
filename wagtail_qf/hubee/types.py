"""What a sender declares when creating a folder (spec schemas Folder, Applicant, Attachment)."""

import base64
import hashlib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Applicant:
    first_name: str
    last_name: str
    email: str | None = None

    def as_json(self) -> dict:
        data = {"firstName": self.first_name, "lastName": self.last_name}
        if self.email:
            data["email"] = self.email
        return data


@dataclass(frozen=True)
class Attachment:
    file_name: str
    mime_type: str
    content: bytes = field(repr=False)
    type_code: str  # HubEE "type", e.g. "JUSTIFICATIF_QF"; agreed per process code

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def digest(self) -> str:
        """Value of the optional ``digest`` header: base64 SHA-256 of the file."""
        return base64.b64encode(hashlib.sha256(self.content).digest()).decode()


@dataclass(frozen=True)
class FolderDraft:
    external_id: str  # Folder.externalId, max 30 chars, no personal data
    applicant: Applicant
    recipient_siret: str  # OrganizationIdentifier.companyRegister
    recipient_cog: str  # OrganizationIdentifier.branchCode (code guichet = COG)
    attachments: list[Attachment]
    case_external_id: str = ""  # defaults to "<external_id>-01", as in the spec's examples
    recipient_type: str = "SI"

    def __post_init__(self):
        if not self.external_id or len(self.external_id) > 30:
            raise ValueError("external_id: 1 to 30 characters")
        if not re.fullmatch(r"[0-9]{14}", self.recipient_siret):
            raise ValueError("recipient_siret: 14 digits")
        if not self.recipient_cog or len(self.recipient_cog) > 10:
            raise ValueError("recipient_cog: 1 to 10 characters")
        if not self.attachments:
            raise ValueError("attachments: at least one")
        if len({a.file_name for a in self.attachments}) != len(self.attachments):
            raise ValueError("attachments: file names must be unique")
        if not self.case_external_id:
            object.__setattr__(self, "case_external_id", f"{self.external_id}-01")

    def as_json(self, process_code: str) -> dict:
        """Body of ``POST /folders``: the writable required fields of the Folder schema."""
        return {
            "processCode": process_code,
            "externalId": self.external_id,
            "applicant": self.applicant.as_json(),
            "cases": [
                {
                    "externalId": self.case_external_id,
                    "recipient": {
                        "type": self.recipient_type,
                        "companyRegister": self.recipient_siret,
                        "branchCode": self.recipient_cog,
                    },
                }
            ],
            "attachments": [
                {
                    "fileName": a.file_name,
                    "type": a.type_code,
                    "size": a.size,
                    "mimeType": a.mime_type,
                    "recipients": [self.case_external_id],
                }
                for a in self.attachments
            ],
        }
