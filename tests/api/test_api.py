"""The editors' read-only API: token, scope per commune, since and keyset pagination."""

import datetime

import pytest
from django.utils import timezone

from wagtail_qf.dossiers.retention import purge
from wagtail_qf.models import EditorToken, Submission
from wagtail_qf.models.editors import hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(two_communes, make_token, make_submission):
    _, page_a, _, page_b = two_communes
    token_a, clear_a = make_token(page_a, name="Éditeur A")
    token_b, clear_b = make_token(page_b, name="Éditeur B")
    base = timezone.now() - datetime.timedelta(days=10)
    dossiers_a = [make_submission(page_a, submitted_at=base + datetime.timedelta(hours=i)) for i in range(5)]
    dossiers_b = [make_submission(page_b, submitted_at=base, family_name="MARTIN")]
    return {
        "a": (page_a, token_a, clear_a, dossiers_a),
        "b": (page_b, token_b, clear_b, dossiers_b),
        "base": base,
    }


# -- authentication -------------------------------------------------------------------
def test_token_stored_as_hash_only(make_token, qf_page):
    token, clear = make_token(qf_page)
    assert clear.startswith("qfe_") and len(clear) > 40
    stored = EditorToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(clear) and len(stored.token_hash) == 64
    assert stored.token_prefix == clear[:12]
    for field in EditorToken._meta.concrete_fields:
        assert getattr(stored, field.attname) != clear
    assert len(stored.webhook_secret) >= 40


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer qfe_wrong", "Basic abc", "qfe_x"])
def test_missing_or_wrong_token_is_401(client, qf_page, make_token, header):
    make_token(qf_page)
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/qf/api/v1/dossiers/", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert "Jeton" in response.json()["detail"]


def test_a_token_differing_only_after_the_prefix_is_refused(api, qf_page, make_token):
    _, clear = make_token(qf_page)
    assert api("dossiers/", clear[:-1] + ("A" if clear[-1] != "A" else "B")).status_code == 401


def test_inactive_token_is_401(api, qf_page, make_token):
    token, clear = make_token(qf_page)
    assert api("dossiers/", clear).status_code == 200
    EditorToken.objects.filter(pk=token.pk).update(is_active=False)
    assert api("dossiers/", clear).status_code == 401


def test_last_used_is_recorded(api, qf_page, make_token):
    token, clear = make_token(qf_page)
    api("dossiers/", clear)
    assert EditorToken.objects.get(pk=token.pk).last_used_at is not None


def test_only_get(client, qf_page, make_token):
    _, clear = make_token(qf_page)
    response = client.post("/qf/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 405


# -- scope ------------------------------------------------------------------------------
def test_token_of_commune_a_never_sees_commune_b(api, communes):
    page_a, _, clear_a, dossiers_a = communes["a"]
    page_b, _, clear_b, dossiers_b = communes["b"]
    listed = api("dossiers/", clear_a).json()["results"]
    assert {d["reference"] for d in listed} == {s.reference for s in dossiers_a}
    assert {d["page"]["commune_cog"] for d in listed} == {"35051"}
    listed_b = api("dossiers/", clear_b).json()["results"]
    assert [d["reference"] for d in listed_b] == [dossiers_b[0].reference]
    # Detail: someone else's dossier does not exist for this token.
    assert api(f"dossiers/{dossiers_b[0].reference}/", clear_a).status_code == 404
    assert api(f"dossiers/{dossiers_a[0].reference}/", clear_b).status_code == 404
    assert api(f"dossiers/{dossiers_a[0].reference}/", clear_a).status_code == 200


def test_token_with_two_communes_sees_both(api, communes, make_token):
    page_a, *_ = communes["a"]
    page_b, *_ = communes["b"]
    _, clear = make_token(page_a, page_b)
    assert api("dossiers/", clear).json()["count"] == 6


def test_detail_fields(api, communes):
    page_a, _, clear_a, dossiers_a = communes["a"]
    Submission.objects.filter(pk=dossiers_a[0].pk).update(external_id="FAM-42")
    response = api(f"dossiers/{dossiers_a[0].reference}/", clear_a)
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["reference"] == dossiers_a[0].reference
    # A new dossier fetched by the commune's software is « Reçu » (issue 18), in this answer too.
    assert data["status"] == "received" and data["source"] == "franceconnect"
    assert data["page"] == {
        "id": page_a.pk,
        "title": "QF Cesson",
        "commune_name": "Cesson-Sévigné",
        "commune_cog": "35051",
    }
    assert data["requester"] == {
        "family_name": "DUPONT",
        "given_names": "Paul Louis",
        "usage_name": "",
        "birthdate": "1980-06-15",
        # Not in this dossier: null (tests/editors_dropin/test_identity_fields.py has them).
        "gender": None,
        "birthplace": None,
        "birthcountry": None,
        "certified": True,
    }
    assert data["qf"] == {"value": 1234, "year": 2026, "month": 11, "provider": "CNAF"}
    assert data["children"][0]["prenoms"] == "JEAN"
    assert data["external_id"] == "FAM-42"
    assert data["anonymised"] is False
    assert datetime.datetime.fromisoformat(data["submitted_at"]) == dossiers_a[0].submitted_at


def test_anonymised_dossier_has_no_personal_data(api, qf_page, make_token, make_submission):
    _, clear = make_token(qf_page)
    old = make_submission(
        qf_page, external_id="FAM-1", submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert purge() == 1
    data = api(f"dossiers/{old.reference}/", clear).json()
    assert data["anonymised"] is True
    assert data["requester"] is None and data["children"] == [] and data["allocataires"] == []
    assert data["address"] is None and data["external_id"] is None and data["qf"]["value"] is None
    assert "DUPONT" not in api("dossiers/", clear).content.decode()


# -- since, limit, pagination ----------------------------------------------------------
def test_since_filters(api, communes):
    _, _, clear_a, dossiers_a = communes["a"]
    since = (communes["base"] + datetime.timedelta(hours=3)).isoformat()
    listed = api("dossiers/", clear_a, since=since).json()["results"]
    assert [d["reference"] for d in listed] == [s.reference for s in dossiers_a[3:]]


def test_since_accepts_a_date_and_an_unencoded_offset(api, communes):
    _, _, clear_a, _ = communes["a"]
    assert api("dossiers/", clear_a, since="2000-01-01").json()["count"] == 5
    response = api("dossiers/", clear_a, since="2999-01-01T00:00:00 01:00")
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"since": "hier"},
        {"since": "2026-13-45"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "dix"},
        {"cursor": "n'importe quoi"},
    ],
)
def test_bad_parameters_are_400(api, communes, params):
    _, _, clear_a, _ = communes["a"]
    response = api("dossiers/", clear_a, **params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_limit_bounds(api, communes):
    _, _, clear_a, _ = communes["a"]
    assert api("dossiers/", clear_a, limit="1").json()["count"] == 1
    assert api("dossiers/", clear_a, limit="500").json()["count"] == 5


def test_keyset_pagination_is_complete_and_stable(api, communes, make_submission):
    page_a, _, clear_a, dossiers_a = communes["a"]
    # Two dossiers at the same instant: the id breaks the tie.
    same = communes["base"] + datetime.timedelta(hours=2)
    dossiers_a += [make_submission(page_a, submitted_at=same), make_submission(page_a, submitted_at=same)]
    expected = [s.reference for s in sorted(dossiers_a, key=lambda s: (s.submitted_at, s.pk))]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        data = api("dossiers/", clear_a, **params).json()
        pages += 1
        seen += [d["reference"] for d in data["results"]]
        cursor = data["next"]
        if cursor is None:
            break
        assert "cursor=" in data["next_url"]
        if pages == 1:  # a dossier arriving meanwhile lands at the end, nothing is skipped
            dossiers_late = make_submission(
                page_a, submitted_at=timezone.now() - datetime.timedelta(minutes=1)
            )
            expected.append(dossiers_late.reference)
    assert seen == expected
    assert pages == 4  # 8 dossiers, 2 a page


def test_cursor_of_another_token_is_refused(api, communes):
    _, _, clear_a, _ = communes["a"]
    _, _, clear_b, _ = communes["b"]
    cursor = api("dossiers/", clear_a, limit="1").json()["next"]
    assert api("dossiers/", clear_b, cursor=cursor).status_code == 400


def test_rate_limit_per_token(api, qf_page, make_token, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"api": (2, 10**9)}}
    _, clear = make_token(qf_page)
    _, other = make_token(qf_page)
    assert [api("dossiers/", clear).status_code for _ in range(3)] == [200, 200, 429]
    assert api("dossiers/", other).status_code == 200


def test_logs_carry_no_personal_data(api, communes, caplog):
    _, _, clear_a, dossiers_a = communes["a"]
    with caplog.at_level("INFO", logger="wagtail_qf.api"):
        api("dossiers/", clear_a)
        api(f"dossiers/{dossiers_a[0].reference}/", clear_a)
    text = caplog.text
    assert "api list" in text and "DUPONT" not in text and clear_a not in text


def test_a_dossier_of_the_last_seconds_enters_the_list_once_settled(
    api, qf_page, make_token, make_submission, settle
):
    """A dossier is listed ``SETTLING`` after its transmission: one whose transaction began first
    but committed after a later one would otherwise fall behind the cursor (or the next poll's
    ``since``) and never be listed. Its detail is there at once (its webhook points to it)."""
    _, clear = make_token(qf_page)
    now = timezone.now()
    committed_first = make_submission(qf_page, submitted_at=now - datetime.timedelta(seconds=1))
    assert api("dossiers/", clear).json()["results"] == []
    assert api(f"dossiers/{committed_first.reference}/", clear).status_code == 200
    # The transaction that began before it commits now; then time passes.
    committed_late = make_submission(qf_page, submitted_at=now - datetime.timedelta(seconds=2))
    settle()
    listed = [d["reference"] for d in api("dossiers/", clear).json()["results"]]
    assert listed == [committed_late.reference, committed_first.reference]
