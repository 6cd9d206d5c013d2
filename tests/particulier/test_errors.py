"""API Particulier's error answers mapped to what the citizen is told and may do next.

One row per line of the reference table (/work/shared/reference/README.md, "v3 errors"):
the class, the code and status kept, whether the client retries, whether the citizen
may try again later, and words of the message and of the next step.
"""

import pytest

from wagtail_qf.particulier import errors

ATTESTATION = "déposer votre attestation de quotient familial à la mairie"
CONTACT = "contactez votre CAF ou votre MSA"
RETRY_LATER = "Réessayez dans quelques minutes"
RETRY_OR_ATTESTATION = "Réessayez plus tard ; si le problème persiste, déposez votre attestation"
RECONNECT = "Reconnectez-vous avec FranceConnect"
NOT_ALLOWED = "n'est pas autorisé à obtenir vos données"
UNAVAILABLE = "momentanément indisponible"

# (status, code, title, class, retried by the client, citizen may retry, message words, next step words)
TABLE = [
    (401, "00101", "", errors.InvalidApiToken, False, False, NOT_ALLOWED, ATTESTATION),
    (401, "00103", "", errors.InvalidApiToken, False, False, NOT_ALLOWED, ATTESTATION),
    (401, "00105", "", errors.InvalidApiToken, False, False, NOT_ALLOWED, ATTESTATION),
    (401, "50001", "", errors.FranceConnectTokenError, False, True, "FranceConnect a expiré", RECONNECT),
    (401, "50002", "", errors.FranceConnectTokenError, False, True, "FranceConnect a expiré", RECONNECT),
    (401, "50003", "", errors.MissingScopes, False, False, "mal configuré", ATTESTATION),
    (403, "00100", "", errors.Forbidden, False, False, NOT_ALLOWED, ATTESTATION),
    (404, "23003", "", errors.NotFound, False, False, "ne connaissent pas de dossier", CONTACT),
    (404, "10003", "", errors.NotFound, False, False, "ne connaissent pas de dossier", CONTACT),
    (404, "35003", "Allocataire non référencé", errors.NotFound, False, False, "ne connaissent pas", CONTACT),
    (
        404,
        "35003",
        "Erreur inattendue",
        errors.ProviderUnexpected,
        False,
        True,
        "erreur inattendue",
        RETRY_OR_ATTESTATION,
    ),
    (409, "00015", "", errors.Conflict, True, True, "déjà en cours de traitement", RETRY_LATER),
    (422, "00366", "", errors.BadIdentity, False, False, "informations d'identité", ATTESTATION),
    (422, "00203", "", errors.ServiceMisconfigured, False, False, NOT_ALLOWED, ATTESTATION),
    (429, "00429", "", errors.RateLimited, True, True, "trop de demandes", RETRY_LATER),
    (502, "37999", "", errors.ProviderError, True, True, UNAVAILABLE, RETRY_LATER),
    (504, "37001", "", errors.ProviderUnavailable, True, True, UNAVAILABLE, RETRY_LATER),
    (504, "37002", "", errors.ProviderUnavailable, True, True, UNAVAILABLE, RETRY_LATER),
    (504, "00501", "", errors.ProviderUnavailable, True, True, UNAVAILABLE, RETRY_LATER),
    (504, "37004", "", errors.ProviderUnavailable, True, True, UNAVAILABLE, RETRY_LATER),
    (504, "37008", "", errors.ProviderUnavailable, True, True, UNAVAILABLE, RETRY_LATER),
    # Not in the table: any other server error is the provider's, anything else unexpected.
    (500, "", "", errors.ProviderError, True, True, UNAVAILABLE, RETRY_LATER),
    (503, "99999", "", errors.ProviderError, True, True, UNAVAILABLE, RETRY_LATER),
    (400, "", "", errors.Unexpected, False, True, "n'ont pas pu être récupérées", RETRY_OR_ATTESTATION),
    (418, "00000", "", errors.Unexpected, False, True, "n'ont pas pu être récupérées", RETRY_OR_ATTESTATION),
]


@pytest.mark.parametrize("status, code, title, cls, retryable, can_retry, message, next_step", TABLE)
def test_error_table(status, code, title, cls, retryable, can_retry, message, next_step):
    error = errors.error_for(status, code, detail="Détail", title=title)
    assert type(error) is cls
    assert (error.status, error.code, error.detail) == (status, code or cls.code, "Détail")
    assert (error.retryable, error.citizen_can_retry) == (retryable, can_retry)
    assert message in str(error.user_message)
    assert next_step in str(error.next_step)
    assert error.to_session() == {"class": cls.__name__, "code": code or cls.code, "status": status}


# (class, code, status) of each error built without an answer (client side or by default).
DEFAULTS = [
    (errors.InvalidApiToken, "00101", 401),
    (errors.Forbidden, "00100", 403),
    (errors.MissingScopes, "50003", 401),
    (errors.FranceConnectTokenError, "50002", 401),
    (errors.NotFound, "23003", 404),
    (errors.ProviderUnexpected, "35003", 404),
    (errors.BadIdentity, "00366", 422),
    (errors.Conflict, "00015", 409),
    (errors.RateLimited, "00429", 429),
    (errors.ProviderError, "37999", 502),
    (errors.ProviderUnavailable, "37001", 504),
    (errors.Timeout, "timeout", None),
    (errors.Unreachable, "unreachable", None),
    (errors.MalformedAnswer, "malformed", None),
    (errors.Unexpected, "unexpected", None),
]


@pytest.mark.parametrize("cls, code, status", DEFAULTS)
def test_default_code_and_status(cls, code, status):
    error = cls()
    assert (error.code, error.status) == (code, status)
    assert str(error) == f"{cls.__name__}(code={code}, status={status})"  # what the logs get


# (class, citizen may retry, message words, next step words) of the errors raised by the client itself.
LOCAL = [
    (errors.Timeout, True, "trop de temps à répondre", RETRY_LATER),
    (errors.Unreachable, True, "ne répond pas pour le moment", RETRY_LATER),
    (errors.MalformedAnswer, True, "incomplète ou illisible", RETRY_OR_ATTESTATION),
    (errors.Unexpected, True, "n'ont pas pu être récupérées", RETRY_OR_ATTESTATION),
]


@pytest.mark.parametrize("cls, can_retry, message, next_step", LOCAL)
def test_local_errors(cls, can_retry, message, next_step):
    error = cls()
    assert error.citizen_can_retry is can_retry
    assert error.retryable is (cls in (errors.Timeout, errors.Unreachable))
    assert message in str(error.user_message)
    assert next_step in str(error.next_step)


def test_every_configuration_error_is_the_communes_not_the_citizens():
    """The webmaster is told (``ServiceMisconfigured``); the citizen is not asked to retry."""
    for status, code in [(401, "00101"), (401, "50003"), (403, "00100"), (422, "00203")]:
        error = errors.error_for(status, code)
        assert isinstance(error, errors.ServiceMisconfigured)
        assert "La commune en a été informée" in str(error.user_message)
    for status, code in [(401, "50002"), (404, "23003"), (422, "00366"), (502, "37999")]:
        assert not isinstance(errors.error_for(status, code), errors.ServiceMisconfigured)


def test_rate_limit_keeps_the_wait_asked_by_the_api():
    error = errors.error_for(429, "00429", retry_after=12.5)
    assert error.retry_after == 12.5
    assert errors.error_for(429, "", retry_after=3).code == "00429"


def test_only_the_not_referenced_title_makes_35003_a_not_found():
    assert type(errors.error_for(404, "35003", title="ALLOCATAIRE NON RÉFÉRENCÉ")) is errors.NotFound
    assert type(errors.error_for(404, "35003")) is errors.ProviderUnexpected
    assert type(errors.error_for(404, "23003", title="Erreur inattendue")) is errors.NotFound
    # The same codes under another status are not these errors.
    assert type(errors.error_for(401, "00203")) is errors.InvalidApiToken
    assert type(errors.error_for(403, "50003")) is errors.Forbidden
    assert type(errors.error_for(403, "50002")) is errors.Forbidden
    assert type(errors.error_for(422, "35003")) is errors.BadIdentity


def test_an_answer_without_detail_nor_wait_keeps_neither():
    error = errors.error_for(429, "00429")
    assert (error.detail, error.retry_after) == ("", 0)
    assert errors.error_for(404, "23003").detail == ""


def test_rate_limited_built_by_keywords():
    error = errors.RateLimited(code="00429", status=429, detail="Trop de requêtes", retry_after=2)
    assert (error.code, error.status, error.detail, error.retry_after) == (
        "00429",
        429,
        "Trop de requêtes",
        2,
    )
    assert errors.RateLimited().retry_after == 0


def test_the_answers_code_is_kept_for_a_rate_limit():
    assert errors.error_for(429, "00430").code == "00430"
