"""A page never accepts a login made through a path it does not offer.

A session that logged in through one page's identity form (path without
FranceConnect) is not logged in on a page without that path; a FranceConnect
access token obtained for one page is not used to fetch another page's data.
"""

import pytest

from wagtail_qf.models import Submission

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect
from .test_identity_path import VALID

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_form(make_qf_page):
    return make_qf_page(slug="avec-formulaire", allow_identity_form=True)


@pytest.fixture
def without_form(make_qf_page):
    return make_qf_page(slug="sans-formulaire")


def login_with_the_identity_form(client, page, respx_mock):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    response = client.post(page.url + "sans-franceconnect/", VALID)
    assert response["Location"] == page.url + "quotient/"
    return route


def test_identity_form_login_is_not_accepted_by_a_page_without_the_path(
    client, with_form, without_form, respx_mock
):
    route = login_with_the_identity_form(client, with_form, respx_mock)
    page = without_form
    for step in ("consentement/", "quotient/"):
        assert client.get(page.url + step)["Location"] == page.url, step
    assert client.post(page.url + "reessayer/")["Location"] == page.url
    assert route.call_count == 1  # « Réessayer » fetched nothing for the other page
    client.post(page.url + "quotient/", {"form_token": "x", "confirm": "on"})
    assert Submission.objects.count() == 0
    assert client.get(page.url + "confirmation/")["Location"] == page.url
    # The start page offers FranceConnect, not « Reprendre ma démarche ».
    html = client.get(page.url).content.decode()
    assert "Reprendre ma démarche" not in html
    assert f'action="{page.url}connexion/"' in html
    # The page that offers the path still accepts the login.
    assert client.get(with_form.url + "quotient/").status_code == 200


def test_page_that_stopped_offering_the_path_refuses_its_logins(client, with_form, respx_mock):
    login_with_the_identity_form(client, with_form, respx_mock)
    token = client.session["wagtail_qf"]["pages"][str(with_form.pk)]["form_token"]
    with_form.allow_identity_form = False
    with_form.save_revision().publish()

    assert client.get(with_form.url + "quotient/")["Location"] == with_form.url
    response = client.post(with_form.url + "quotient/", {"form_token": token, "confirm": "on",
                                                         "children": ["DUPONT|JEAN|2012-03-04"]})  # fmt: skip
    assert response["Location"] == with_form.url
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
