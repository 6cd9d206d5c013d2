"""The editors' API token: read as RFC 6750 says, its last use recorded at most once a
minute, its own rate limit (issue 23: mutation testing of ``api/auth.py``)."""

import datetime
import time

import pytest
from django.test import RequestFactory
from django.utils import timezone

from wagtail_qf.api import auth
from wagtail_qf.models import EditorToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "header, token",
    [
        ("Bearer qfe_abc", "qfe_abc"),
        ("bearer qfe_abc", "qfe_abc"),  # the scheme is case-insensitive (RFC 6750 § 2.1)
        ("BEARER  qfe_abc ", "qfe_abc"),
        ("Basic qfe_abc", ""),
        ("Bearerqfe_abc", ""),
        ("qfe_abc", ""),
        ("", ""),
    ],
)
def test_the_bearer_token_is_read_from_the_authorization_header(header, token):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
    assert auth.bearer_token(request) == token


def test_a_lowercase_bearer_scheme_is_accepted(client, qf_page, make_token):
    _, clear = make_token(qf_page)
    response = client.get("/qf/api/v1/dossiers/", HTTP_AUTHORIZATION=f"bearer {clear}")
    assert response.status_code == 200


def last_used(token):
    return EditorToken.objects.get(pk=token.pk).last_used_at


def test_last_use_is_written_at_most_once_a_minute(qf_page, make_token):
    """The admin shows when a token was last used; not a database write per request."""
    token, clear = make_token(qf_page)
    assert auth.authenticate(clear).last_used_at == last_used(token) is not None
    first = last_used(token)

    seconds_ago = first - datetime.timedelta(seconds=50)
    EditorToken.objects.filter(pk=token.pk).update(last_used_at=seconds_ago)
    assert auth.authenticate(clear).last_used_at == seconds_ago  # within the minute: kept
    assert last_used(token) == seconds_ago

    long_ago = timezone.now() - datetime.timedelta(seconds=90)
    EditorToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    found = auth.authenticate(clear)
    assert found.last_used_at == last_used(token) > long_ago + datetime.timedelta(seconds=60)


def test_using_a_token_marks_only_that_token_as_used(qf_page, make_token):
    used, clear = make_token(qf_page)
    other, _ = make_token(qf_page)
    auth.authenticate(clear)
    assert last_used(used) is not None and last_used(other) is None


def test_a_refused_token_records_nothing(qf_page, make_token):
    token, clear = make_token(qf_page, is_active=False)
    assert auth.authenticate(clear) is None
    assert auth.authenticate("") is None
    assert last_used(token) is None


def test_a_rate_limited_token_is_told_when_to_come_back(api, qf_page, make_token, settings, monkeypatch):
    """``Retry-After``: the seconds left of the site's window (one hour here), not a fixed minute."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"api": (1, 3600)}}
    hour = 1_800_000_000  # a whole number of hours since the epoch: the window's start
    monkeypatch.setattr(time, "time", lambda: hour + 1000.5)
    _, clear = make_token(qf_page)
    assert api("dossiers/", clear).status_code == 200
    response = api("dossiers/", clear)
    assert response.status_code == 429
    assert response["Retry-After"] == "2600"  # the count starts again at the next hour
    assert "Retry-After" in response.json()["detail"]


def test_each_token_counts_its_own_requests(rf, qf_page, make_token, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"api": (2, 10**9)}}
    token_a, _ = make_token(qf_page)
    token_b, _ = make_token(qf_page)
    request = rf.get("/qf/api/v1/dossiers/")
    assert [auth.token_is_limited(request, token_a) for _ in range(3)] == [False, False, True]
    assert auth.token_is_limited(request, token_b) is False


def test_only_a_refused_token_is_logged_as_such(client, qf_page, make_token, caplog):
    _, clear = make_token(qf_page)
    with caplog.at_level("INFO", logger="wagtail_qf.api"):
        client.get("/qf/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {clear}")
        assert "api refused" not in caplog.text
        client.get("/qf/api/v1/dossiers/", HTTP_AUTHORIZATION="Bearer qfe_faux")
    assert "api refused: missing or invalid token" in caplog.text and "qfe_faux" not in caplog.text
