"""Found in review: bad input on « Suivre ma demande » gives a page, never a server error."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("document", ["²", "١٢", "1²"])
def test_a_document_number_in_other_digits_is_not_found(client, qf_page, document):
    """``str.isdigit`` accepts superscripts and other scripts' digits, which are no database integer."""
    response = client.get(qf_page.url + "suivi/", {"document": document})
    assert response.status_code == 404


# -- a failed FranceConnect login of the follow-up -------------------------------------------


def test_a_cancelled_follow_up_login_offers_to_retry_the_follow_up(client, respx_mock, qf_page):
    """The way back is the follow-up page, not the journey's login (which would ask the family's
    data of the CAF while it only wanted to follow its request)."""
    FakeFranceConnect(respx_mock)
    started = client.post(qf_page.url + "suivi/", {"action": "franceconnect"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(started["Location"]).query).items()}
    callback = urlsplit(params["redirect_uri"]).path
    response = client.get(f"{callback}?error=access_denied&state={params['state']}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vous avez annulé la connexion avec FranceConnect" in html
    assert f'href="{qf_page.url}suivi/"' in html
    assert f'href="{qf_page.url}connexion/"' not in html


def test_a_follow_up_login_that_cannot_start_offers_to_retry_the_follow_up(client, respx_mock, qf_page):
    fc = FakeFranceConnect(respx_mock)
    fc.discovery_route.mock(return_value=httpx.Response(503))
    response = client.post(qf_page.url + "suivi/", {"action": "franceconnect"})
    assert response.status_code == 503
    html = response.content.decode()
    assert f'href="{qf_page.url}suivi/"' in html
    assert f'href="{qf_page.url}connexion/"' not in html


# -- complements sent twice --------------------------------------------------------------------


def test_complements_sent_twice_are_received_once_and_said_sent_twice(
    client, qf_page, make_submission, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A double click, or the form sent again with the back button: the second sending is the
    first one, already received; the family is not told its dossier refuses its answer."""
    from wagtail_qf.models import DossierDocument

    from .test_follow_up_complements import ANSWER, attestation, open_follow_up

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    mine = make_submission(qf_page, status="awaiting", email="famille@example.org")
    open_follow_up(client, qf_page, mine)
    responses = []
    for _sending in range(2):
        data = {
            "action": "complements",
            "dossier": mine.reference,
            "message": ANSWER,
            "files": [attestation()],
        }
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(client.post(qf_page.url + "suivi/", data))
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[1]["Location"] == responses[0]["Location"]
    assert DossierDocument.objects.filter(submission=mine).count() == 1


def test_an_answer_to_a_dossier_no_longer_awaiting_is_still_refused(
    client, qf_page, make_submission, settings, tmp_path
):
    from .test_follow_up_complements import ANSWER, open_follow_up

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    mine = make_submission(qf_page, status="done", email="famille@example.org")
    open_follow_up(client, qf_page, mine)
    data = {"action": "complements", "dossier": mine.reference, "message": ANSWER}
    response = client.post(qf_page.url + "suivi/", data)
    assert response.status_code == 400
    assert "Ce dossier n&#x27;attend plus de compléments" in response.content.decode()
