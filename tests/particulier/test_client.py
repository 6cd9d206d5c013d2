"""API Particulier v3 client: the contract, every error of the reference table, retries."""

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from wagtail_qf.http import USER_AGENT
from wagtail_qf.particulier import errors
from wagtail_qf.particulier.client import ParticulierClient, seconds_until_reset
from wagtail_qf.particulier.types import IdentityQuery

from ..fakes import particulier as api
from ..fakes.clock import no_jitter
from ..fakes.franceconnect import issue_access_token

FC_TOKEN = issue_access_token(token="fc-access-token-SECRET-123")
API_TOKEN = api.api_token("api-particulier-token-SECRET-456")
SIRET = "21350051800013"


@pytest.fixture
def client():
    return ParticulierClient(api.BASE_URL, API_TOKEN, max_retries=2, backoff=0)


def fetch(client):
    return client.fetch_with_franceconnect(FC_TOKEN, recipient=SIRET, year=2026, month=1)


# (status, code, error class, retried?, words of the citizen's message)
TABLE = [
    (401, "00101", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "00103", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "00105", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "50001", errors.FranceConnectTokenError, False, "FranceConnect a expiré"),
    (401, "50002", errors.FranceConnectTokenError, False, "FranceConnect a expiré"),
    (401, "50003", errors.MissingScopes, False, "mal configuré"),
    (403, "00100", errors.Forbidden, False, "n'est pas autorisé"),
    (404, "23003", errors.NotFound, False, "ne connaissent pas"),
    (404, "10003", errors.NotFound, False, "ne connaissent pas"),
    (404, "35003", errors.ProviderUnexpected, False, "erreur inattendue"),  # titled « Erreur »
    (409, "00015", errors.Conflict, True, "déjà en cours"),
    (422, "00366", errors.BadIdentity, False, "identité"),
    (422, "00203", errors.ServiceMisconfigured, False, "n'est pas autorisé"),
    (429, "00429", errors.RateLimited, True, "trop de demandes"),
    (502, "37999", errors.ProviderError, True, "indisponible"),
    (504, "37001", errors.ProviderUnavailable, True, "indisponible"),
    (504, "37002", errors.ProviderUnavailable, True, "indisponible"),
    (504, "00501", errors.ProviderUnavailable, True, "indisponible"),
    (504, "37004", errors.ProviderUnavailable, True, "indisponible"),
    (504, "37008", errors.ProviderUnavailable, True, "indisponible"),
    (500, "99999", errors.ProviderError, True, "indisponible"),
    (418, "00000", errors.Unexpected, False, "n'ont pas pu être récupérées"),
]


@pytest.mark.parametrize("status, code, cls, retried, words", TABLE)
def test_error_table(client, respx_mock, status, code, cls, retried, words):
    route = api.particulier_error(respx_mock, status, code, headers={"RateLimit-Reset": "0"})
    with pytest.raises(cls) as excinfo:
        fetch(client)
    error = excinfo.value
    assert error.code == code and error.status == status
    assert route.call_count == (3 if retried else 1)
    assert words in str(error.user_message)
    assert str(error.next_step)


@pytest.mark.parametrize(
    "side_effect, cls",
    [
        (httpx.ReadTimeout("slow"), errors.Timeout),
        (httpx.ConnectTimeout("slow"), errors.Timeout),
        (httpx.ConnectError("refused"), errors.Unreachable),
    ],
)
def test_transport_errors_are_retried_then_mapped(client, respx_mock, side_effect, cls):
    route = api.route(respx_mock).mock(side_effect=side_effect)
    with pytest.raises(cls) as excinfo:
        fetch(client)
    assert route.call_count == 3
    assert excinfo.value.citizen_can_retry


def test_retry_then_success(client, respx_mock):
    route = api.route(respx_mock).mock(
        side_effect=[httpx.Response(429, json=api.error_body("00429")), httpx.Response(200, json=api.DUPONT)]
    )
    assert fetch(client).quotient_familial.valeur == 1234
    assert route.call_count == 2


def test_rate_limit_reset_timestamp_is_honoured_within_a_cap(respx_mock, monkeypatch):
    """API Particulier's RateLimit-Reset is the end of the period, as a Unix timestamp."""
    waits = []
    monkeypatch.setattr("wagtail_qf.particulier.client.time.sleep", waits.append)
    monkeypatch.setattr("wagtail_qf.particulier.client.time.time", lambda: 1_800_000_000.0)
    client = ParticulierClient(api.BASE_URL, max_retries=2, backoff=0.1)
    api.particulier_error(respx_mock, 429, "00429", headers={"RateLimit-Reset": "1800000030"})
    with pytest.raises(errors.RateLimited):
        fetch(client)
    assert waits == [2.0, 2.0]  # 30 s asked, capped


@pytest.mark.parametrize(
    ("reset", "expected"),
    [
        ("1800000001", 1.0),  # one second before the period ends
        ("1799999990", 0.0),  # period already over: no wait
        ("1", 1.0),  # delta-seconds (IETF draft) accepted too
        ("soon", 0.0),  # garbage ignored
        (None, 0.0),
    ],
)
def test_seconds_until_reset(reset, expected):
    headers = {} if reset is None else {"RateLimit-Reset": reset}
    assert seconds_until_reset(headers, now=1_800_000_000.0) == expected


def test_short_reset_beats_a_shorter_backoff(respx_mock, monkeypatch):
    waits = []
    monkeypatch.setattr("wagtail_qf.particulier.client.time.sleep", waits.append)
    monkeypatch.setattr("wagtail_qf.particulier.client.time.time", lambda: 1_800_000_000.0)
    client = ParticulierClient(api.BASE_URL, max_retries=1, backoff=0.1)
    api.particulier_error(respx_mock, 429, "00429", headers={"RateLimit-Reset": "1800000001"})
    with pytest.raises(errors.RateLimited):
        fetch(client)
    assert waits == [1.0]


def test_backoff_is_exponential(respx_mock):
    waits = []
    client = ParticulierClient(api.BASE_URL, max_retries=3, backoff=0.5, sleep=waits.append, jitter=no_jitter)
    api.particulier_error(respx_mock, 502, "37999")
    with pytest.raises(errors.ProviderError):
        fetch(client)
    assert waits == [0.5, 1.0, 2.0]


def test_backoff_is_jittered_between_half_and_all_of_it(respx_mock):
    """Clients that fail together do not retry together: each wait takes off a random share."""
    waits, draws = [], iter([0.999, 0.5, 0.0, 0.0])  # a draw for each failure, the last one too
    client = ParticulierClient(
        api.BASE_URL, max_retries=3, backoff=0.5, sleep=waits.append, jitter=lambda: next(draws)
    )
    api.particulier_error(respx_mock, 502, "37999")
    with pytest.raises(errors.ProviderError):
        fetch(client)
    assert waits == pytest.approx([0.25025, 0.75, 2.0])


def test_request_contract_with_franceconnect(client, respx_mock):
    route = api.particulier_ok(respx_mock)
    fetch(client)
    request = route.calls.last.request
    assert request.url.path == "/v3/dss/quotient_familial/france_connect"
    assert parse_qs(urlsplit(str(request.url)).query) == {
        "recipient": [SIRET],
        "annee": ["2026"],
        "mois": ["1"],
    }
    assert request.headers["Authorization"] == f"Bearer {FC_TOKEN}"
    assert request.headers["User-Agent"] == USER_AGENT


def test_month_is_optional(client, respx_mock):
    route = api.particulier_ok(respx_mock)
    client.fetch_with_franceconnect(FC_TOKEN, recipient=SIRET)
    assert parse_qs(urlsplit(str(route.calls.last.request.url)).query) == {"recipient": [SIRET]}


def test_request_contract_with_identity(client, respx_mock):
    route = api.particulier_ok(respx_mock, path=api.IDENTITY_PATH)
    query = IdentityQuery(
        nom_naissance="DUPONT",
        prenoms=("Paul", "Louis"),
        sexe="M",
        annee_naissance=1980,
        mois_naissance=6,
        jour_naissance=15,
        code_commune_naissance="35238",
    )
    client.fetch_with_identity(query, recipient=SIRET)
    request = route.calls.last.request
    params = parse_qs(urlsplit(str(request.url)).query)
    assert params["nomNaissance"] == ["DUPONT"] and params["prenoms[]"] == ["Paul", "Louis"]
    assert params["sexeEtatCivil"] == ["M"] and params["codeCogInseePaysNaissance"] == ["99100"]
    assert params["anneeDateNaissance"] == ["1980"] and params["jourDateNaissance"] == ["15"]
    assert params["codeCogInseeCommuneNaissance"] == ["35238"] and params["recipient"] == [SIRET]
    assert "nomUsage" not in params
    assert request.headers["Authorization"] == f"Bearer {API_TOKEN}"


def test_timeouts_are_explicit():
    client = ParticulierClient(api.BASE_URL, connect_timeout=1.5, read_timeout=7)
    assert client.http.timeout.connect == 1.5 and client.http.timeout.read == 7


def test_full_answer(client, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, headers={"X-Response-Cached": "true"})
    result = fetch(client)
    assert result.cached
    assert result.quotient_familial.fournisseur == "CNAF"
    assert [p.prenoms for p in result.enfants] == ["JEAN", "LUCIE", "LEA"]
    assert result.allocataires[1].nom_usage == "MARTIN" and result.allocataires[0].nom_usage is None
    assert result.adresse.code_postal_ville == "35510 CESSON SEVIGNE"
    assert result.raw["quotient_familial"]["valeur"] == 1234


def test_msa_and_no_child(client, respx_mock):
    api.particulier_ok(respx_mock, api.answer(allocataires=[], enfants=[], fournisseur="MSA"))
    result = fetch(client)
    assert result.quotient_familial.provider_label == "MSA"
    assert result.enfants == () and not result.cached


@pytest.mark.parametrize("missing", ["enfants", "allocataires", "adresse", "quotient_familial"])
def test_scope_filtered_answers(client, respx_mock, missing):
    api.particulier_ok(respx_mock, api.answer(allocataires=[], enfants=[], drop=[missing]))
    assert getattr(fetch(client), missing) is None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"data": {"quotient_familial": ',
        b"[]",
        b'{"data": null}',
        b'{"data": {"quotient_familial": {"fournisseur": "CNAF", "valeur": "1234", "annee": 2026, "mois": 1}}}',
        b'{"data": {"quotient_familial": {"fournisseur": "XYZ", "valeur": 1, "annee": 2026, "mois": 1}}}',
        b'{"data": {"enfants": {"nom": "x"}}}',
        b'{"data": {"enfants": [{"nom_naissance": 42, "prenoms": "A"}]}}',
    ],
)
def test_malformed_answers(client, respx_mock, body):
    route = api.route(respx_mock).mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(errors.MalformedAnswer):
        fetch(client)
    assert route.call_count == 1


def test_logs_hold_no_token_and_no_personal_data(client, respx_mock, caplog):
    caplog.set_level(logging.DEBUG)
    for status, code, *_ in TABLE:
        respx_mock.reset()
        api.particulier_error(respx_mock, status, code, headers={"RateLimit-Reset": "0"})
        with pytest.raises(errors.ParticulierError):
            fetch(client)
    respx_mock.reset()
    api.particulier_ok(respx_mock, api.DUPONT)
    fetch(client)
    for secret in (FC_TOKEN, API_TOKEN, "DUPONT", "1980-06-15", "1234"):
        assert secret not in caplog.text
    assert "code=23003" in caplog.text
