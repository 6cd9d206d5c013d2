"""Errors of the DGFiP client, each with what the citizen should do next.

The reference table (shared/reference/impot-particulier/README.md): 200 data;
204/404/410 no avis for this year; 400 malformed request (our bug); 401 gateway
token refused (renewed once, then the commune's credentials are at fault); 403
access refused, which covers both "the service has no right to this resource or
year" and "the FranceConnect token or consent is not valid" (a token older than
60 s): the API does not document how to tell them apart; 429 and 5xx transient.
Not documented: the error code of a year not taxed yet, the error body (assumed
``{"erreur": {"message": ...}}``, never read: it is not needed to decide).
"""

from django.utils.translation import gettext_lazy as _

from ..upstream import UpstreamError

_AVIS_AT_TOWN_HALL = _("Vous pouvez présenter votre dernier avis d'impôt sur le revenu à la mairie.")
_RETRY_OR_AVIS = _(
    "Réessayez plus tard ; si le problème persiste, présentez votre dernier avis d'impôt à la mairie."
)


class DgfipError(UpstreamError):
    """Base error of the DGFiP client."""

    user_message = _("Vos données fiscales n'ont pas pu être récupérées.")
    next_step = _RETRY_OR_AVIS


class NoAvis(DgfipError):
    """204, 404 or 410: the DGFiP has no avis for this person and income year."""

    code = "no_avis"
    user_message = _(
        "L'administration fiscale ne dispose pas d'avis d'impôt sur le revenu à votre nom "
        "pour l'année demandée."
    )
    next_step = _(
        "Si vous avez déclaré vos revenus récemment, votre avis n'est peut-être pas encore disponible. "
        "Vous pouvez présenter votre dernier avis d'impôt sur le revenu à la mairie."
    )


class ServiceMisconfigured(DgfipError):
    """The commune's access is refused or badly set: not the citizen's fault.

    Logged as an error for the webmaster: the citizen cannot fix it."""

    user_message = _(
        "Le service de la commune ne peut pas obtenir vos données fiscales pour le moment. "
        "La commune en a été informée."
    )
    next_step = _AVIS_AT_TOWN_HALL


class NotConfigured(ServiceMisconfigured):
    """``WAGTAIL_QF["DGFIP"]`` lacks the gateway's URLs or credentials."""

    code = "not_configured"


class BadRequest(ServiceMisconfigured):
    """400: the request is malformed (a defect on our side)."""

    code, status = "bad_request", 400


class GatewayCredentialsRefused(ServiceMisconfigured):
    """The token endpoint refuses the consumer key and secret (or is not found: a wrong
    URL), or a fresh token gets a 401."""

    code, status = "gateway_unauthorized", 401


class AccessRefused(DgfipError):
    """403: no right to the resource or year, or the FranceConnect token has expired.

    The API does not say which: the citizen may log in again once, and the
    journey logs it for the webmaster."""

    code, status = "forbidden", 403
    citizen_can_retry = True
    user_message = _(
        "L'administration fiscale a refusé l'accès à vos données : votre connexion FranceConnect "
        "a peut-être expiré, ou le service de la commune n'a pas les droits nécessaires."
    )
    next_step = _(
        "Reconnectez-vous avec FranceConnect pour réessayer ; si le refus persiste, présentez "
        "votre dernier avis d'impôt sur le revenu à la mairie."
    )


class TransientError(DgfipError):
    """Worth retrying: the client retries, then the citizen may try again later."""

    retryable = True
    citizen_can_retry = True
    user_message = _("Le service de l'administration fiscale est momentanément indisponible.")
    next_step = _("Réessayez dans quelques minutes.")


class RateLimited(TransientError):
    code, status = "rate_limited", 429
    user_message = _("Le service de l'administration fiscale reçoit trop de demandes en ce moment.")


class ProviderError(TransientError):
    code = "provider_error"  # 5xx


class Timeout(TransientError):
    code = "timeout"
    user_message = _("L'administration fiscale a mis trop de temps à répondre.")


class Unreachable(TransientError):
    code = "unreachable"


class MalformedAnswer(DgfipError):
    code = "malformed"
    citizen_can_retry = True
    user_message = _("La réponse de l'administration fiscale est incomplète ou illisible.")


class Unexpected(DgfipError):
    code = "unexpected"
    citizen_can_retry = True


NO_AVIS_STATUSES = (204, 404, 410)


def error_for(status: int, *, token_endpoint: bool = False) -> DgfipError:
    """The typed error of a DGFiP answer that is not a 200 (a second 401 included)."""
    if status >= 500:
        return ProviderError(status=status)
    if status == 429:
        return RateLimited()
    if token_endpoint:  # a refusal, or a wrong URL: the commune's settings, never "no avis"
        return GatewayCredentialsRefused(status=status)
    if status in NO_AVIS_STATUSES:
        return NoAvis(status=status)
    cls = {400: BadRequest, 401: GatewayCredentialsRefused, 403: AccessRefused}.get(status, Unexpected)
    return cls(status=status)


def error_from_session(data: dict | None) -> DgfipError:
    """The error kept in a session by ``to_session()`` (an unknown class gives the base error)."""
    data = data or {}
    cls = globals().get(data.get("class", ""))
    if not (isinstance(cls, type) and issubclass(cls, DgfipError)):
        cls = DgfipError
    return cls(code=data.get("code"), status=data.get("status"))
