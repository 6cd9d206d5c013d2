"""A page never accepts a login made through a path it does not offer.

A request sent through one page's form without FranceConnect leaves no login behind: it
opens no step of another page (nor of its own: nothing is shown without FranceConnect); a
FranceConnect access token obtained for one page is not used to fetch another page's data.
"""

import pytest

from wagtail_qf.models import Submission

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect
from .identity_helpers import form_token, form_url, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_form(make_qf_page):
    return make_qf_page(slug="avec-formulaire", allow_identity_form=True)


@pytest.fixture
def without_form(make_qf_page):
    return make_qf_page(slug="sans-formulaire")


def send_the_form(client, page, respx_mock, capture):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    with capture(execute=True):
        response = send(client, page)
    assert response["Location"] == page.url + "confirmation/"
    return route


def test_identity_form_request_is_no_login_on_any_page(
    client, with_form, without_form, respx_mock, django_capture_on_commit_callbacks
):
    route = send_the_form(client, with_form, respx_mock, django_capture_on_commit_callbacks)
    for page in (without_form, with_form):
        for step in ("consentement/", "quotient/"):
            assert client.get(page.url + step)["Location"] == page.url, step
        assert client.post(page.url + "reessayer/")["Location"] == page.url
    assert route.call_count == 1  # the background check only; « Réessayer » fetched nothing
    client.post(without_form.url + "quotient/", {"form_token": "x", "confirm": "on"})
    assert Submission.objects.count() == 1
    assert client.get(without_form.url + "confirmation/")["Location"] == without_form.url
    # The start page offers FranceConnect, not « Reprendre ma démarche ».
    html = client.get(without_form.url).content.decode()
    assert "Reprendre ma démarche" not in html
    assert f'action="{without_form.url}connexion/"' in html
    # The page the request was sent on shows its reference, and nothing else.
    assert Submission.objects.get().reference in client.get(with_form.url + "confirmation/").content.decode()


def test_page_that_stopped_offering_the_path_refuses_its_form(client, with_form):
    token = form_token(client, with_form)
    with_form.allow_identity_form = False
    with_form.save_revision().publish()

    assert client.get(form_url(with_form)).status_code == 404
    assert send(client, with_form, token=token).status_code == 404
    assert Submission.objects.count() == 0


def test_franceconnect_token_of_one_page_is_not_used_for_another(client, make_qf_page, respx_mock):
    fc = FakeFranceConnect(respx_mock)
    route = api.particulier_error(respx_mock, 504, "37001")
    first, other = make_qf_page(slug="premiere"), make_qf_page(slug="autre", collect_address=True)
    client.get(fc.authorize(client, first.url + "connexion/"))
    calls = route.call_count
    assert client.session["wagtail_qf"]["access_token"]  # still valid, kept for a retry on the first page

    # The other page asks for other scopes: its data need its own FranceConnect login.
    assert client.post(other.url + "reessayer/")["Location"] == other.url + "connexion/"
    assert route.call_count == calls
    assert client.post(first.url + "reessayer/")["Location"] == first.url + "quotient/"
    assert route.call_count > calls
