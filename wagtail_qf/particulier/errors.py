"""Errors of the API Particulier client, each with what the citizen should do next."""

from django.utils.translation import gettext_lazy as _

from ..upstream import UpstreamError


class ParticulierError(UpstreamError):
    """Base error. ``code`` is API Particulier's error code (or a local one)."""


_RETRY_LATER = _("Réessayez dans quelques minutes.")
_CONTACT = _(
    "Si votre situation est récente, contactez votre CAF ou votre MSA. Vous pouvez aussi "
    "déposer votre attestation de quotient familial à la mairie."
)
_ATTESTATION = _("Vous pouvez déposer votre attestation de quotient familial à la mairie.")


class ServiceMisconfigured(ParticulierError):
    """The commune's access (token, rights, recipient) is refused: not the citizen's fault.

    Logged as an error for the webmaster (``journey.fetch``): the citizen cannot fix it."""

    user_message = _(
        "Le service de la commune n'est pas autorisé à obtenir vos données pour le moment. "
        "La commune en a été informée."
    )
    next_step = _ATTESTATION


class InvalidApiToken(ServiceMisconfigured):
    code, status = "00101", 401


class Forbidden(ServiceMisconfigured):
    code, status = "00100", 403


class MissingScopes(ServiceMisconfigured):
    """The FranceConnect token lacks the identity scopes: the page asks for the wrong ones."""

    code, status = "50003", 401
    user_message = _(
        "Le service de la commune est mal configuré : il ne demande pas à FranceConnect "
        "toutes les autorisations nécessaires. La commune en a été informée."
    )


class FranceConnectTokenError(ParticulierError):
    code, status = "50002", 401
    citizen_can_retry = True
    user_message = _("Votre connexion FranceConnect a expiré avant que vos données aient pu être obtenues.")
    next_step = _("Reconnectez-vous avec FranceConnect pour réessayer.")


class NotFound(ParticulierError):
    code, status = "23003", 404
    user_message = _("La CAF et la MSA ne connaissent pas de dossier d'allocataire à votre nom.")
    next_step = _CONTACT


class ProviderUnexpected(ParticulierError):
    """404 35003 « Erreur inattendue »: the CAF or the MSA failed, the family may well be known."""

    code, status = "35003", 404
    citizen_can_retry = True
    user_message = _(
        "Une erreur inattendue est survenue à la CAF ou à la MSA pendant la recherche de votre dossier."
    )
    next_step = _("Réessayez plus tard ; si le problème persiste, déposez votre attestation à la mairie.")


class BadIdentity(ParticulierError):
    code, status = "00366", 422
    user_message = _("Les informations d'identité transmises n'ont pas été acceptées.")
    next_step = _ATTESTATION


class TransientError(ParticulierError):
    """Worth retrying: the client retries, then the citizen may try again later."""

    retryable = True
    citizen_can_retry = True
    user_message = _("Le service de la CAF ou de la MSA est momentanément indisponible.")
    next_step = _RETRY_LATER


class Conflict(TransientError):
    code, status = "00015", 409
    user_message = _("Une demande identique est déjà en cours de traitement.")


class RateLimited(TransientError):
    code, status = "00429", 429
    user_message = _("Le service reçoit trop de demandes en ce moment.")

    def __init__(self, *args, retry_after: float = 0, **kwargs):
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class ProviderError(TransientError):
    code, status = "37999", 502


class ProviderUnavailable(TransientError):
    code, status = "37001", 504


class Timeout(TransientError):
    code = "timeout"
    user_message = _("La CAF ou la MSA a mis trop de temps à répondre.")


class Unreachable(TransientError):
    code = "unreachable"
    user_message = _("Le service qui interroge la CAF et la MSA ne répond pas pour le moment.")


class MalformedAnswer(ParticulierError):
    code = "malformed"
    citizen_can_retry = True
    user_message = _("La réponse reçue pour votre dossier est incomplète ou illisible.")
    next_step = _("Réessayez plus tard ; si le problème persiste, déposez votre attestation à la mairie.")


class Unexpected(ParticulierError):
    code = "unexpected"
    citizen_can_retry = True
    next_step = _("Réessayez plus tard ; si le problème persiste, déposez votre attestation à la mairie.")


BY_STATUS = {
    401: InvalidApiToken,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: BadIdentity,
    429: RateLimited,
    502: ProviderError,
    504: ProviderUnavailable,
}


# API Particulier answers 404 35003 for two things, told apart by the title only:
# « Allocataire non référencé » (unknown to the CAF and the MSA) and « Erreur inattendue ».
NOT_REFERENCED_TITLE = "non référencé"


def error_for(
    status: int, code: str, detail: str = "", retry_after: float = 0, title: str = ""
) -> ParticulierError:
    """The typed error of an API Particulier error answer."""
    if status == 401 and code == MissingScopes.code:
        return MissingScopes(code, status, detail)
    if status == 401 and code.startswith("500"):
        return FranceConnectTokenError(code, status, detail)
    if status == 404 and code == ProviderUnexpected.code and NOT_REFERENCED_TITLE not in title.lower():
        return ProviderUnexpected(code, status, detail)
    if status == 422 and code == "00203":  # missing recipient: the page's configuration
        return ServiceMisconfigured(code, status, detail)
    cls = BY_STATUS.get(status)
    if cls is None:
        cls = ProviderError if status >= 500 else Unexpected
    if cls is RateLimited:
        return RateLimited(code or None, status, detail, retry_after=retry_after)
    return cls(code or None, status, detail)


def error_from_session(data: dict | None) -> ParticulierError:
    """The error kept in a session by ``to_session()``, to explain it again (an unknown class
    gives the base error)."""
    data = data or {}
    cls = globals().get(data.get("class", ""))
    if not (isinstance(cls, type) and issubclass(cls, ParticulierError)):
        cls = ParticulierError
    return cls(code=data.get("code"), status=data.get("status"))
