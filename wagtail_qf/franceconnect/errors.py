"""Why a FranceConnect login failed, in words a citizen can act on.

``str(error)`` holds the code only: it is what gets logged, never a token or a claim.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RETRY = _("Vous pouvez réessayer de vous connecter.")

MESSAGES = {
    "access_denied": _("Vous avez annulé la connexion avec FranceConnect. Aucune donnée n'a été transmise."),
    "state": _(
        "Cette tentative de connexion a expiré ou a déjà été utilisée "
        "(par exemple après un retour en arrière dans le navigateur)."
    ),
    "provider_unavailable": _("FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes."),
    "provider_error": _("FranceConnect a renvoyé une erreur pendant la connexion."),
    "page": _("La démarche demandée n'est plus disponible."),
}
DEFAULT_MESSAGE = _(
    "La réponse de FranceConnect n'a pas pu être vérifiée : par sécurité, la connexion a été refusée."
)


class FranceConnectError(Exception):
    """A failed login. ``code`` is short and stable: it goes into the logs."""

    def __init__(self, code: str = "invalid", return_to: dict | None = None):
        self.code = code
        self.return_to = return_to or {}
        super().__init__(code)

    @property
    def user_message(self) -> str | Promise:
        return MESSAGES.get(self.code, DEFAULT_MESSAGE)

    @property
    def next_step(self) -> str | Promise:
        return RETRY
