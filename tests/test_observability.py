"""Error reports to Sentry leave without the citizens' personal data (issue 20)."""

import copy
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import path

from wagtail_qf.observability import FILTERED, init_sentry, scrub_event

sentry_sdk = pytest.importorskip("sentry_sdk")

SAMPLE = {
    "event_id": "0" * 32,
    "level": "error",
    "message": "Callback failed",
    "user": {"id": "42", "email": "paul.dupont@example.fr", "ip_address": "203.0.113.7"},
    "request": {
        "method": "POST",
        "url": "https://qf.mairie.fr/qf/franceconnect/callback/?code=abc&state=xyz",
        "query_string": "code=abc&state=xyz",
        "data": {"nom": "DUPONT", "prenoms": "Paul Louis", "confirm": "on"},
        "cookies": {"sessionid": "s3ss10n", "csrftoken": "csrf"},
        "headers": {
            "Host": "qf.mairie.fr",
            "Cookie": "sessionid=s3ss10n",
            "Referer": "https://x/?email=a@b.fr",
        },
        "env": {"REMOTE_ADDR": "203.0.113.7"},
    },
    "exception": {
        "values": [
            {
                "type": "ValueError",
                "value": "bad answer",
                "stacktrace": {
                    "frames": [{"function": "fetch", "vars": {"identity": {"family_name": "DUPONT"}}}]
                },
            }
        ]
    },
    "extra": {
        "page": 3,
        "identity": {"family_name": "DUPONT"},
        "answer": {"allocataires": [{"nom": "DUPONT"}]},
    },
    "contexts": {"citizen": {"birthdate": "1980-06-15", "step": "quotient"}},
    "breadcrumbs": {
        "values": [
            {"category": "wagtail_qf.journey", "data": {"email": "paul.dupont@example.fr", "status": 502}},
            # Sentry's Redis integration: the cache key of a cached_db session is its session key.
            {
                "type": "redis",
                "category": "redis",
                "message": "GET 'qf:1:django.contrib.sessions.cached_dbs3ss10nk3y'",
                "data": {
                    "redis.command": "GET",
                    "redis.key": "qf:1:django.contrib.sessions.cached_dbs3ss10nk3y",
                },
            },
            # Another library's log line (httpx at INFO), an address with its query.
            {
                "category": "httpx",
                "level": "info",
                "message": 'HTTP Request: GET https://particulier.test/v3/x?nomNaissance=DUPONT "HTTP/1.1 200 OK"',
            },
        ]
    },
}


def test_scrub_event_removes_personal_data_and_keeps_the_rest():
    event = scrub_event(copy.deepcopy(SAMPLE))
    text = repr(event)
    for personal in (
        "DUPONT",
        "Paul Louis",
        "paul.dupont",
        "1980-06-15",
        "s3ss10n",
        "203.0.113.7",
        "abc",
        "xyz",
        "s3ss10nk3y",
    ):
        assert personal not in text, personal
    assert "user" not in event
    assert event["request"] == {
        "method": "POST",
        "url": "https://qf.mairie.fr/qf/franceconnect/callback/",
        "headers": {"Host": "qf.mairie.fr"},
    }
    assert "vars" not in event["exception"]["values"][0]["stacktrace"]["frames"][0]
    # what helps to fix the bug stays
    assert event["exception"]["values"][0]["type"] == "ValueError" and event["message"] == "Callback failed"
    assert event["extra"]["page"] == 3 and event["extra"]["identity"] == FILTERED
    assert event["extra"]["answer"]["allocataires"] == FILTERED
    assert event["contexts"]["citizen"] == {"birthdate": FILTERED, "step": "quotient"}
    own, cache, library = event["breadcrumbs"]["values"]
    assert own["data"] == {"email": FILTERED, "status": 502}
    assert cache == {"type": "redis", "category": "redis", "data": {"redis.command": "GET"}}
    assert library == {"category": "httpx", "level": "info"}


def test_the_spans_of_a_transaction_leave_without_query_nor_cache_key():
    """With tracing on (``traces_sample_rate`` given to ``init_sentry``), a transaction's spans
    describe each call: the identity in API Particulier's query, a session's cache key."""
    transaction = {
        "type": "transaction",
        "spans": [
            {
                "op": "http.client",
                "description": "GET https://particulier.test/v3/dss/quotient_familial/identite?nomNaissance=DUPONT",
                "data": {
                    "http.method": "GET",
                    "http.query": "nomNaissance=DUPONT",
                    "url": "https://x/?nom=DUPONT",
                },
            },
            {
                "op": "db.redis",
                "description": "GET 'qf:1:django.contrib.sessions.cached_dbs3ss10nk3y'",
                "data": {
                    "db.redis.key": "qf:1:django.contrib.sessions.cached_dbs3ss10nk3y",
                    "redis.command": "GET",
                },
            },
            {"op": "db", "description": "SELECT 1 FROM wagtail_qf_submission WHERE id = %s", "data": {}},
        ],
    }
    scrubbed = scrub_event(copy.deepcopy(transaction))
    text = repr(scrubbed)
    assert "DUPONT" not in text and "s3ss10nk3y" not in text
    http, cache, sql = scrubbed["spans"]
    assert http["description"] == "GET https://particulier.test/v3/dss/quotient_familial/identite"
    assert http["data"] == {"http.method": "GET", "url": "https://x/"}
    assert cache == {"op": "db.redis", "data": {"redis.command": "GET"}}
    assert sql["description"] == "SELECT 1 FROM wagtail_qf_submission WHERE id = %s"  # no values: kept


def test_no_dsn_no_sentry(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert init_sentry("") is False
    assert not sentry_sdk.get_client().dsn


def test_without_sentry_sdk_a_dsn_only_logs(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # not installed
    with caplog.at_level(logging.WARNING, logger="wagtail_qf.observability"):
        assert init_sentry("https://key@sentry.example/1") is False
    assert "sentry-sdk is not installed" in caplog.text


class Captured(sentry_sdk.transport.Transport):
    """Keeps the events instead of sending them."""

    events: list = []

    def capture_envelope(self, envelope):
        self.events.extend(item.payload.json for item in envelope.items if item.type == "event")


def failing_view(request):
    identity = {"family_name": request.POST["nom"], "email": request.GET["email"]}  # a local: never sent
    request.session["wagtail_qf"] = {"identity": identity}
    raise RuntimeError(f"upstream failed after {len(identity)} fields")


def upstream_then_failing_view(request):
    """The way without FranceConnect: API Particulier is asked with the identity in the query."""
    import httpx

    httpx.get(
        "https://particulier.test/v3/dss/quotient_familial/identite",
        params={"nomNaissance": request.GET["nom"], "prenoms[]": request.GET["prenoms"]},
    )
    raise RuntimeError("the answer could not be read")


def database_error_view(request):
    """An unexpected database error, worded as PostgreSQL words it: with the failing row."""
    from django.db import IntegrityError

    row = f"Failing row contains ({request.GET['nom']}, {request.GET['naissance']})"
    try:
        raise ValueError(row)  # the driver's error (psycopg.errors.NotNullViolation)
    except ValueError as cause:
        raise IntegrityError(
            f'null value in column "page_id" violates not-null constraint\nDETAIL: {row}'
        ) from cause


urlpatterns = [
    path("boom/", failing_view),
    path("database/", database_error_view),
    path("upstream/", upstream_then_failing_view),
    path("ok/", lambda request: HttpResponse("ok")),
]


@pytest.fixture
def sentry(monkeypatch):
    Captured.events = []
    monkeypatch.setenv("SENTRY_DSN", "https://public@sentry.example/1")  # the standard variable
    assert init_sentry(transport=Captured, default_integrations=True)
    yield Captured.events
    sentry_sdk.get_client().close()
    monkeypatch.delenv("SENTRY_DSN")
    sentry_sdk.init()  # a client without DSN: nothing sent by the next tests


@pytest.mark.django_db
@pytest.mark.urls("tests.test_observability")
def test_a_server_error_reaches_sentry_without_personal_data(client, sentry):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "s3ss10n"
    response = client.post("/boom/?email=paul.dupont@example.fr", {"nom": "DUPONT", "prenoms": "Paul Louis"})
    assert response.status_code == 500
    sentry_sdk.flush()
    assert len(sentry) == 1
    event = sentry[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    text = repr(event)
    for personal in ("DUPONT", "Paul Louis", "paul.dupont", "s3ss10n"):
        assert personal not in text, personal
    assert set(event.get("request", {})) <= {"method", "url", "headers"} and "user" not in event


@pytest.mark.django_db
@pytest.mark.urls("tests.test_observability")
def test_the_breadcrumbs_of_an_upstream_call_leave_without_its_query(client, sentry, respx_mock):
    """Sentry's httpx integration notes each call (URL, query) for the next event: the identity
    sent to API Particulier in the query must not go with it."""
    respx_mock.get("https://particulier.test/v3/dss/quotient_familial/identite").respond(200, json={})
    client.raise_request_exception = False
    assert client.get("/upstream/", {"nom": "DUPONT", "prenoms": "Paul Louis"}).status_code == 500
    sentry_sdk.flush()
    assert len(sentry) == 1
    crumbs = sentry[0]["breadcrumbs"]["values"]
    call = next(crumb for crumb in crumbs if crumb.get("category") == "httplib")
    assert call["data"]["url"] == "https://particulier.test/v3/dss/quotient_familial/identite"  # kept: where
    assert call["data"]["http.response.status_code"] == 200
    text = repr(sentry[0])
    for personal in ("DUPONT", "Paul"):
        assert personal not in text, personal


@pytest.mark.django_db
@pytest.mark.urls("tests.test_observability")
def test_a_database_error_reaches_sentry_without_its_text(client, sentry):
    client.raise_request_exception = False
    assert client.get("/database/", {"nom": "DUPONT", "naissance": "1980-06-15"}).status_code == 500
    sentry_sdk.flush()
    assert len(sentry) == 1
    errors = sentry[0]["exception"]["values"]
    assert [(error["module"], error["type"]) for error in errors][-1] == ("django.db.utils", "IntegrityError")
    text = repr(sentry[0])
    for personal in ("DUPONT", "1980-06-15"):
        assert personal not in text, personal


def test_the_production_settings_start_sentry_when_the_dsn_is_set():
    code = (
        "import django, sentry_sdk; django.setup(); o = sentry_sdk.get_client().options;"
        "print(o['dsn'], sentry_sdk.get_client().should_send_default_pii(), o['before_send'].__qualname__)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "SENTRY_DSN": "https://public@sentry.example/1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).parents[1], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://public@sentry.example/1", "False", "scrub_event"]
