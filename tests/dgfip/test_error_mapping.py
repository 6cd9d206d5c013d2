"""DGFiP errors: the code and status each keeps (what the logs and the session say), and
what the citizen is told and may do next (issue 23: mutation testing of ``dgfip/errors.py``).

``test_client.py`` goes through the HTTP client; these tests read the mapping itself.
"""

import httpx
import pytest

from wagtail_qf.dgfip import errors
from wagtail_qf.dgfip.client import DgfipClient
from wagtail_qf.dgfip.years import YearChoice

from ..fakes import dgfip as gw

AVIS_AT_TOWN_HALL = "présenter votre dernier avis d'impôt sur le revenu à la mairie"
RETRY_OR_AVIS = "Réessayez plus tard ; si le problème persiste, présentez votre dernier avis d'impôt"
RETRY_LATER = "Réessayez dans quelques minutes"
TOWN_HALL_INFORMED = "La commune en a été informée"

# (status, token endpoint?, class, code)
TABLE = [
    (500, False, errors.ProviderError, "provider_error"),
    (503, True, errors.ProviderError, "provider_error"),
    (429, False, errors.RateLimited, "rate_limited"),
    (429, True, errors.RateLimited, "rate_limited"),
    (204, False, errors.NoAvis, "no_avis"),
    (404, False, errors.NoAvis, "no_avis"),
    (410, False, errors.NoAvis, "no_avis"),
    (400, False, errors.BadRequest, "bad_request"),
    (401, False, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    (403, False, errors.AccessRefused, "forbidden"),
    (418, False, errors.Unexpected, "unexpected"),
    (400, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    (401, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    (403, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    # A token endpoint that is not found or answers anything else: the gateway's settings.
    (404, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    (410, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
    (418, True, errors.GatewayCredentialsRefused, "gateway_unauthorized"),
]


@pytest.mark.parametrize("status, token_endpoint, cls, code", TABLE)
def test_each_answer_status_has_its_error_code_and_keeps_the_status(status, token_endpoint, cls, code):
    error = errors.error_for(status, token_endpoint=token_endpoint)
    assert type(error) is cls
    assert (error.code, error.status) == (code, status)
    assert str(error) == f"{cls.__name__}(code={code}, status={status})"  # what the logs get


# (class, code, status) of each error built without an answer (client side or by default).
DEFAULTS = [
    (errors.DgfipError, "unknown", None),
    (errors.NoAvis, "no_avis", None),
    (errors.NotConfigured, "not_configured", None),
    (errors.BadRequest, "bad_request", 400),
    (errors.GatewayCredentialsRefused, "gateway_unauthorized", 401),
    (errors.AccessRefused, "forbidden", 403),
    (errors.RateLimited, "rate_limited", 429),
    (errors.ProviderError, "provider_error", None),
    (errors.Timeout, "timeout", None),
    (errors.Unreachable, "unreachable", None),
    (errors.MalformedAnswer, "malformed", None),
    (errors.Unexpected, "unexpected", None),
]


@pytest.mark.parametrize("cls, code, status", DEFAULTS)
def test_default_code_and_status(cls, code, status):
    error = cls()
    assert (error.code, error.status) == (code, status)
    assert error.to_session() == {"class": cls.__name__, "code": code, "status": status}


# (class, client retries?, citizen may retry?, message words, next step words)
WORDING = [
    (errors.DgfipError, False, False, "Vos données fiscales n'ont pas pu être récupérées", RETRY_OR_AVIS),
    (errors.NoAvis, False, False, "ne dispose pas d'avis", "n'est peut-être pas encore disponible"),
    (errors.NotConfigured, False, False, TOWN_HALL_INFORMED, AVIS_AT_TOWN_HALL),
    (errors.BadRequest, False, False, TOWN_HALL_INFORMED, AVIS_AT_TOWN_HALL),
    (errors.GatewayCredentialsRefused, False, False, TOWN_HALL_INFORMED, AVIS_AT_TOWN_HALL),
    (errors.AccessRefused, False, True, "a refusé l'accès", "Reconnectez-vous avec FranceConnect"),
    (errors.RateLimited, True, True, "trop de demandes", RETRY_LATER),
    (errors.ProviderError, True, True, "momentanément indisponible", RETRY_LATER),
    (errors.Timeout, True, True, "a mis trop de temps à répondre", RETRY_LATER),
    (errors.Unreachable, True, True, "momentanément indisponible", RETRY_LATER),
    (errors.MalformedAnswer, False, True, "incomplète ou illisible", RETRY_OR_AVIS),
    (errors.Unexpected, False, True, "Vos données fiscales n'ont pas pu être récupérées", RETRY_OR_AVIS),
]


@pytest.mark.parametrize("cls, retryable, can_retry, message, next_step", WORDING)
def test_what_the_citizen_is_told_and_may_do(cls, retryable, can_retry, message, next_step):
    error = cls()
    assert (error.retryable, error.citizen_can_retry) == (retryable, can_retry)
    assert message in str(error.user_message)
    assert next_step in str(error.next_step)


def test_the_communes_misconfiguration_never_asks_the_citizen_to_retry():
    """The citizen cannot fix it: no "réessayez", the avis at the town hall instead."""
    for cls in (errors.NotConfigured, errors.BadRequest, errors.GatewayCredentialsRefused):
        assert issubclass(cls, errors.ServiceMisconfigured)
        assert "Réessayez" not in str(cls.next_step)
    assert not issubclass(errors.AccessRefused, errors.ServiceMisconfigured)


@pytest.mark.parametrize("status", [404, 410])
def test_a_token_endpoint_not_found_is_the_communes_settings_not_a_missing_avis(respx_mock, status):
    """A wrong gateway token URL must not tell every family it has no avis d'impôt (and try
    the year before): it is the commune's configuration, logged for the webmaster."""
    tokens = respx_mock.post(gw.TOKEN_URL).mock(return_value=httpx.Response(status))
    route = respx_mock.get(gw.situation_url(2024)).mock(return_value=gw.situation_answer())
    client = DgfipClient(gw.BASE_URL, gw.TOKEN_URL, gw.CLIENT_ID, gw.CLIENT_SECRET, backoff=0)
    with pytest.raises(errors.ServiceMisconfigured) as excinfo:
        client.fetch_situation("fc-token", YearChoice(2025, fallback=True))
    assert excinfo.value.status == status
    assert tokens.call_count == 1 and route.call_count == 0


@pytest.mark.parametrize("cls, code, status", DEFAULTS)
def test_an_error_kept_in_the_session_comes_back_the_same(cls, code, status):
    """The error page is shown after a redirect: from what the session kept."""
    error = errors.error_from_session(cls(status=status or 500).to_session())
    assert type(error) is cls
    assert (error.code, error.status) == (code, status or 500)


@pytest.mark.parametrize(
    "data", [None, {}, {"class": "UpstreamError"}, {"class": "error_for"}, {"class": "Inconnue", "code": "x"}]
)
def test_an_unknown_error_in_the_session_is_the_base_error(data):
    error = errors.error_from_session(data)
    assert type(error) is errors.DgfipError
    assert "Vos données fiscales n'ont pas pu être récupérées" in str(error.user_message)


def test_an_error_with_its_own_code_keeps_it_through_the_session():
    kept = errors.ProviderError("bad_token_answer", 200).to_session()
    error = errors.error_from_session(kept)
    assert (type(error), error.code, error.status) == (errors.ProviderError, "bad_token_answer", 200)
