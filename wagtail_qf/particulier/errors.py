"""Errors of the API Particulier client, each with what the citizen should do next."""

from django.utils.translation import gettext_lazy as _


class ParticulierError(Exception):
    """Base error. ``code`` is API Particulier's error code (or a local one)."""

    code = "unknown"
    status = None
    # Whether the client itself retries (with backoff) before giving up.
    retryable = False
    # Whether the citizen may try again later without logging in again.
    citizen_can_retry = False
    user_message = _("Vos données n'ont pas pu être récupérées.")
    next_step = _("Réessayez plus tard ou transmettez votre attestation à la mairie.")

    def __init__(self, code=None, status=None, detail=""):
        self.code = code or self.code
        self.status = status if status is not None else self.status
        # ``detail`` is API Particulier's own text: never shown, never logged
        # with personal data (it holds none, but we keep it out of logs anyway).
        self.detail = detail
        super().__init__(f"{type(self).__name__}(code={self.code}, status={self.status})")

    def to_session(self) -> dict:
        return {"class": type(self).__name__, "code": self.code, "status": self.status}
