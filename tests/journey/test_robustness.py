"""Bad input and faults: the citizen is told, nothing is half-written, nothing is lost."""

import threading

import pytest
from django.db import DatabaseError, connection, connections
from django.test import Client, override_settings

from wagtail_qf.models import Submission

from ..factories import CHILDREN, IDENTITY, family_result


def post(client, page, data):
    return client.post(page.url + "quotient/", data)


@pytest.mark.django_db
def test_oversized_and_repeated_fields_are_refused(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    assert post(client, qf_page, {"form_token": "x" * 10_000, "confirm": "on"}).status_code == 400
    many = {"form_token": token, "confirm": "on", "children": ["x" * 500] * 2000}
    assert post(client, qf_page, many).status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_unicode_and_very_long_names(client, qf_page):
    session = client.session
    long_name = "Éléonore-Gwenaëlle " * 20  # 380 characters
    result = family_result()
    session["wagtail_qf"] = {
        "identity": {**IDENTITY, "given_name": long_name, "family_name": "N’DIAYE-ØSTERGÅRD 李"},
        "id_token": "a.b.c",
        "expires_at": 9e9,
        "pages": {str(qf_page.pk): {"result": result.to_session(), "form_token": "tok"}},
    }
    session.save()
    assert post(client, qf_page, {"form_token": "tok", "confirm": "on", "no_child": "on"}).status_code == 302
    submission = Submission.objects.get()
    assert submission.family_name == "N’DIAYE-ØSTERGÅRD 李"
    assert submission.given_names == long_name[:255]


@pytest.mark.django_db
def test_database_error_at_save_tells_the_citizen_and_writes_nothing(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())

    def refuse_inserts(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "wagtail_qf_submission" in sql:
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_inserts):
        response = post(client, qf_page, {"form_token": token, "confirm": "on", "no_child": "on"})
    assert response.status_code == 503
    assert "rien n'a été transmis" in response.content.decode().replace("&#x27;", "'")
    assert Submission.objects.count() == 0
    # The citizen can try again: the data and the form are still there.
    assert post(client, qf_page, {"form_token": token, "confirm": "on", "no_child": "on"}).status_code == 302
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_dossier_and_session_are_written_together(client, qf_page, logged_in):
    """A failure writing the session rolls the dossier back: never a dossier whose citizen still
    sees the form (and sends it again), never a citizen who lost their data."""
    token = logged_in(qf_page, family_result())

    def refuse_session_writes(execute, sql, params, many, context):
        if "django_session" in sql and sql.lstrip().upper().startswith(("UPDATE", "INSERT")):
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_session_writes):
        response = post(client, qf_page, {"form_token": token, "confirm": "on", "no_child": "on"})
    assert response.status_code == 503
    assert Submission.objects.count() == 0
    assert "identity" in client.session["wagtail_qf"]  # still there
    assert post(client, qf_page, {"form_token": token, "confirm": "on", "no_child": "on"}).status_code == 302
    assert Submission.objects.count() == 1 and "identity" not in client.session["wagtail_qf"]


@pytest.mark.django_db
def test_rate_limit_of_the_transmission(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    with override_settings(WAGTAIL_QF={"RATE_LIMITS": {"login": (20, 10**9), "transmit": (2, 10**9)}}):
        codes = [post(client, qf_page, {"form_token": "bad"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_citizen_pages_send_security_headers(client, qf_page):
    response = client.get(qf_page.url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "form-action 'self' https://fc.test" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_gives_exactly_one_dossier(qf_page):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server shared by threads (runs in the PostgreSQL pass)")
    client = Client()
    session = client.session
    session["wagtail_qf"] = {
        "identity": IDENTITY,
        "id_token": "a.b.c",
        "expires_at": 9e9,
        "pages": {str(qf_page.pk): {"result": family_result().to_session(), "form_token": "same"}},
    }
    session.save()
    cookie = client.cookies
    barrier = threading.Barrier(4)
    codes = []

    def submit():
        other = Client()
        other.cookies = cookie
        barrier.wait()
        codes.append(
            post(
                other, qf_page, {"form_token": "same", "confirm": "on", "children": [CHILDREN[0].key]}
            ).status_code
        )
        connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Submission.objects.count() == 1
    assert codes.count(302) >= 1 and all(code in (302, 400) for code in codes)


@pytest.mark.django_db
def test_rate_limit_of_the_login(client, qf_page, respx_mock):
    from ..fakes.franceconnect import FakeFranceConnect

    FakeFranceConnect(respx_mock)
    from django.conf import settings

    limits = {"RATE_LIMITS": {"login": (3, 10**9), "transmit": (10, 10**9)}}
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, **limits}):
        responses = [client.get(qf_page.url + "connexion/") for _ in range(4)]
    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert "Trop de tentatives" in responses[-1].content.decode()


# PostgreSQL's text of a refused row quotes the row: the family's names, dates, quotient.
REFUSED_ROW = (
    'new row for relation "wagtail_qf_submission" violates check constraint\n'
    "DETAIL:  Failing row contains (1, QF-AAAA-BBBB, new, DUPONT, Paul Louis, 1980-06-15, -5)."
)


def refuse_dossiers(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("INSERT") and "wagtail_qf_submission" in sql:
        raise DatabaseError(REFUSED_ROW)
    return execute(sql, params, many, context)


@pytest.mark.django_db
def test_a_dossier_the_database_refuses_is_logged_without_the_row(client, qf_page, logged_in, caplog):
    token = logged_in(qf_page, family_result())
    with connection.execute_wrapper(refuse_dossiers):
        response = post(client, qf_page, {"form_token": token, "confirm": "on", "no_child": "on"})
    assert response.status_code == 503
    assert f"dossier could not be saved page={qf_page.pk} error=DatabaseError" in caplog.text
    assert not any(word in caplog.text for word in ("DUPONT", "Paul", "1980", "Failing row"))


@pytest.mark.django_db
def test_a_declaration_the_database_refuses_is_logged_without_the_row(client, make_qf_page, caplog):
    from .identity_helpers import send

    page = make_qf_page(allow_identity_form=True)
    client.get(page.url)
    with connection.execute_wrapper(refuse_dossiers):
        response = send(client, page)
    assert response.status_code == 503
    assert f"dossier could not be saved page={page.pk} error=DatabaseError" in caplog.text
    assert not any(word in caplog.text for word in ("DUPONT", "Paul", "1980", "Failing row"))
