"""A NUL character in a request's parameters: no browser sends one from a form, and PostgreSQL
can neither compare nor store it (a query with one is a database error, a 500). The journey and
the counter refuse such a request with the site's « requête incorrecte » page (400), whatever
the parameter, before any query; the family's complement typed with one is refused in French."""

import pytest

from wagtail_qf.dossiers import documents
from wagtail_qf.dossiers.documents import DocumentRefused

from .admin.test_counter import RESULT as COUNTER_RESULT
from .follow_up.test_follow_up_complements import ANSWER, dossiers, follow_up, open_follow_up, private_storage  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_complement_for_a_reference_holding_a_nul_is_a_bad_request(client, qf_page, dossiers):  # noqa: F811
    mine, _neighbours = dossiers
    open_follow_up(client, qf_page, mine)
    response = client.post(
        follow_up(qf_page), {"action": "complements", "dossier": mine.reference + "\x00", "message": ANSWER}
    )
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == "awaiting"


def test_an_identity_form_token_holding_a_nul_is_a_bad_request(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True)
    response = client.post(
        page.url + "sans-franceconnect/", {"form_token": "jeton\x00", "nom_naissance": "DUPONT"}
    )
    assert response.status_code == 400


def test_a_nul_in_any_parameter_of_a_step_is_a_bad_request(client, qf_page):
    assert client.get(qf_page.url, {"deconnexion": "1\x00"}).status_code == 400
    assert client.get(qf_page.url).status_code == 200  # the same step, without it


def test_a_counter_form_token_holding_a_nul_is_a_bad_request(admin_client, qf_page):
    assert admin_client.post(COUNTER_RESULT, {"form_token": "jeton\x00"}).status_code == 400


def test_a_nul_in_the_familys_complement_is_refused_in_french(
    make_qf_page, make_submission, settings, tmp_path
):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    dossier = make_submission(make_qf_page(), status="awaiting")
    with pytest.raises(DocumentRefused) as refused:
        documents.add_family_documents(dossier, [], "Bonjour\x00")
    assert "caractère" in str(refused.value.message)
