"""Deep link from an editor's family portal, and the way back: never an open redirect."""

import html
from urllib.parse import parse_qs, urlsplit

import pytest

from wagtail_qf.models import EditorToken, Submission

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db

PORTAL = "https://portail.editeur.test/famille/"


@pytest.fixture
def portal_page(qf_page, make_token):
    make_token(qf_page, redirect_uris=f"{PORTAL}\nhttps://autre.editeur.test/retour")
    return qf_page


def start(client, page, **params):
    response = client.get(page.url, params)
    assert response.status_code == 200  # the journey always goes on
    return response


def portal(client, page):
    return (client.session.get("wagtail_qf_portal") or {}).get(str(page.pk))


def transmit(client, page, logged_in):
    form_token = logged_in(page, family_result())
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    response = client.post(page.url + "quotient/", data)
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def portal_link(page_html):
    marker = (
        'class="qf-portal-link"><a class="qf-button qf-button--secondary fr-btn fr-btn--secondary" href="'
    )
    if marker not in page_html:
        return None
    return html.unescape(page_html.split(marker, 1)[1].split('"', 1)[0])


def test_accepted_deep_link_comes_back_with_external_id_and_reference(client, portal_page, logged_in):
    uri = PORTAL + "dossier?lang=fr"
    start(client, portal_page, external_id="FAM-0042_a.b", redirect_uri=uri)
    assert portal(client, portal_page) == {"external_id": "FAM-0042_a.b", "redirect_uri": uri}
    # Shown nowhere before the confirmation.
    assert "FAM-0042" not in start(client, portal_page).content.decode()

    confirmation = transmit(client, portal_page, logged_in)
    submission = Submission.objects.get()
    assert submission.external_id == "FAM-0042_a.b"
    assert "Retourner sur le portail famille" in confirmation
    link = portal_link(confirmation)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == PORTAL + "dossier"
    assert parse_qs(parts.query) == {
        "lang": ["fr"],
        "external_id": ["FAM-0042_a.b"],
        "reference": [submission.reference],
        "status": ["transmitted"],
    }


def test_prefix_without_trailing_slash(client, portal_page):
    start(client, portal_page, external_id="X1", redirect_uri="https://autre.editeur.test/retour/ok")
    assert portal(client, portal_page) is not None


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.test/famille/",  # another host
        "https://portail.editeur.test.evil.test/famille/",  # the prefix as a host prefix
        "https://portail.editeur.test@evil.test/famille/",  # credentials trick
        "https://autre.editeur.test/retour-evil",  # path beside the prefix
        "https://portail.editeur.test/famille/../admin/",  # dot segments
        "http://portail.editeur.test/famille/",  # no https
        "javascript:alert(1)//https://portail.editeur.test/famille/",
        "JAVASCRIPT:alert(document.cookie)",
        "//portail.editeur.test/famille/",  # scheme-relative
        "/famille/",
        "https://portail.editeur.test/famille/\\@evil.test",
        "",
    ],
)
def test_refused_redirect_uri_is_ignored(client, portal_page, logged_in, uri, caplog):
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, portal_page, external_id="FAM-1", redirect_uri=uri + "?secret=token")
    assert portal(client, portal_page) is None
    assert "deep link refused" in caplog.text and "secret=token" not in caplog.text
    confirmation = transmit(client, portal_page, logged_in)
    assert portal_link(confirmation) is None
    assert Submission.objects.get().external_id == ""


@pytest.mark.parametrize("external_id", ["", "a" * 65, "FAM 1", "FAM/1", "é", "<script>"])
def test_bad_external_id_is_refused(client, portal_page, external_id):
    start(client, portal_page, external_id=external_id, redirect_uri=PORTAL)
    assert portal(client, portal_page) is None


def test_external_id_of_64_characters_is_accepted(client, portal_page):
    start(client, portal_page, external_id="a" * 64, redirect_uri=PORTAL)
    assert portal(client, portal_page)["external_id"] == "a" * 64


def test_only_tokens_covering_the_page(client, two_communes, make_token):
    _, page_a, _, page_b = two_communes
    make_token(page_b, redirect_uris=PORTAL)
    make_token(page_a, redirect_uris="https://inactif.test/", is_active=False)
    for uri in (PORTAL, "https://inactif.test/"):
        start(client, page_a, external_id="FAM-1", redirect_uri=uri)
        assert portal(client, page_a) is None


def test_deactivated_token_loses_the_way_back(client, portal_page, logged_in):
    start(client, portal_page, external_id="FAM-1", redirect_uri=PORTAL)
    EditorToken.objects.update(is_active=False)
    assert portal_link(transmit(client, portal_page, logged_in)) is None


def test_error_page_offers_the_way_back_cancelled(client, portal_page, logged_in):
    start(client, portal_page, external_id="FAM-7", redirect_uri=PORTAL)
    logged_in(portal_page, error={"class": "NotFound", "code": "not_found", "status": 404})
    page_html = client.get(portal_page.url + "quotient/").content.decode()
    query = parse_qs(urlsplit(portal_link(page_html)).query)
    assert query == {"external_id": ["FAM-7"], "status": ["cancelled"]}


def test_logout_forgets_the_portal(client, portal_page):
    start(client, portal_page, external_id="FAM-1", redirect_uri=PORTAL)
    client.post(portal_page.url + "deconnexion/")
    assert portal(client, portal_page) is None


def test_redirect_uris_must_be_https(settings):
    from django.core.exceptions import ValidationError

    token = EditorToken(name="X", redirect_uris="https://ok.test/\njavascript:alert(1)")
    token.set_new_token()
    with pytest.raises(ValidationError) as exc:
        token.full_clean()
    assert "redirect_uris" in exc.value.message_dict


# -- the deep link is bound to the journey at the first login ------------------------
def transmit_now(client, page):
    """Transmit for the citizen already logged in (``logged_in`` was called before)."""
    form_token = client.session["wagtail_qf"]["pages"][str(page.pk)]["form_token"]
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    assert client.post(page.url + "quotient/", data).status_code == 302
    return Submission.objects.get()


def test_external_id_cannot_be_changed_mid_journey(client, portal_page, logged_in, caplog):
    start(client, portal_page, external_id="FAM-VICTIM", redirect_uri=PORTAL)
    logged_in(portal_page, family_result())
    # A later GET of the start page (a cross-site top-level navigation, say) with another family's id.
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        start(client, portal_page, external_id="FAM-OTHER", redirect_uri=PORTAL + "autre")
    assert portal(client, portal_page) == {"external_id": "FAM-VICTIM", "redirect_uri": PORTAL}
    assert "deep link refused" in caplog.text and "reason=journey" in caplog.text
    assert transmit_now(client, portal_page).external_id == "FAM-VICTIM"
    # Nor after the transmission: the way back names the family the dossier was made for.
    start(client, portal_page, external_id="FAM-OTHER", redirect_uri=PORTAL)
    confirmation = client.get(portal_page.url + "confirmation/").content.decode()
    assert parse_qs(urlsplit(portal_link(confirmation)).query)["external_id"] == ["FAM-VICTIM"]


def test_external_id_cannot_be_added_mid_journey(client, portal_page, logged_in):
    logged_in(portal_page, family_result())
    start(client, portal_page, external_id="FAM-OTHER", redirect_uri=PORTAL)
    assert portal(client, portal_page) is None
    assert transmit_now(client, portal_page).external_id == ""


def test_new_journey_accepts_a_new_deep_link(client, portal_page, logged_in):
    start(client, portal_page, external_id="FAM-1", redirect_uri=PORTAL)
    logged_in(portal_page, family_result())
    client.post(portal_page.url + "deconnexion/")
    start(client, portal_page, external_id="FAM-2", redirect_uri=PORTAL)
    assert portal(client, portal_page)["external_id"] == "FAM-2"


# -- the prefix is compared on the path the portal's server will serve ---------------
@pytest.mark.parametrize(
    "uri",
    [
        "https://autre.editeur.test/retour/%2e%2e/x",
        "https://autre.editeur.test/retour/%2E%2E/x",
        "https://autre.editeur.test/retour/.%2e/x",
        "https://autre.editeur.test/retour/%2e./x",
        "https://autre.editeur.test/retour%2f..%2fx",
        "https://autre.editeur.test/retour/%252e%252e/x",  # decoded twice by some servers
        "https://autre.editeur.test/retour/..;/x",  # a path parameter on the dot segment
        "https://autre.editeur.test/retour/%2e%2e%5cx",  # an encoded backslash
        "https://autre.editeur.test/retour/%0a",  # an encoded control character
        "https://portail.editeur.test/famille/%2e",
    ],
)
def test_encoded_dot_segments_cannot_escape_the_prefix(client, portal_page, uri):
    start(client, portal_page, external_id="FAM-1", redirect_uri=uri)
    assert portal(client, portal_page) is None


@pytest.mark.parametrize(
    "uri", [PORTAL + "%66iche", "https://autre.editeur.test/%72etour/ok", PORTAL + "dossier%20familial"]
)
def test_percent_encoded_path_under_the_prefix_is_accepted(client, portal_page, uri):
    start(client, portal_page, external_id="FAM-1", redirect_uri=uri)
    assert portal(client, portal_page) == {"external_id": "FAM-1", "redirect_uri": uri}


# -- deep links cannot create sessions without limit ---------------------------------
def test_deep_links_are_rate_limited_per_client(portal_page, settings, caplog):
    from django.contrib.sessions.models import Session
    from django.test import Client

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"deeplink": (3, 10**9)}}
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        for number in range(6):  # a new client each time: no session cookie sent back
            start(Client(), portal_page, external_id=f"FAM-{number}", redirect_uri=PORTAL)
    assert Session.objects.count() == 3
    assert "reason=rate_limited" in caplog.text


def test_deep_link_writes_the_session_only_when_it_changes(client, portal_page):
    first = client.get(portal_page.url, {"external_id": "FAM-1", "redirect_uri": PORTAL})
    assert "sessionid" in first.cookies
    again = client.get(portal_page.url, {"external_id": "FAM-1", "redirect_uri": PORTAL})
    assert "sessionid" not in again.cookies  # nothing new to save


def test_refused_deep_link_creates_no_session(client, portal_page):
    response = client.get(portal_page.url, {"external_id": "FAM-1", "redirect_uri": "https://evil.test/"})
    assert "sessionid" not in response.cookies
