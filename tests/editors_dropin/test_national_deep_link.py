"""Issue 21, item 7: the national form's deep link works unchanged on this site's host.

``/collectivites/<SIRET>/me_connecter?external_id=…&redirect_uri=…`` leads to the live QF page
serving the SIRET, then through FranceConnect to the transmission and back to ``redirect_uri``
exactly as given (a token's option), ``external_id`` stored; a refused link is told to the
family and kept in the page's history for the webmaster."""

import html
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from wagtail_qf.journey.deeplink import MAX_RECORDED_A_DAY, REFUSED_ACTION
from wagtail_qf.models import ServedCommune, Submission

from ..factories import CHILDREN, family_result
from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db

SIRET = "21350051800013"  # the factory's page: Cesson-Sévigné
PORTAL = "https://portail.editeur.test/famille/"
# As an editor's software writes it: its own query, an encoded character, a fragment-free URI.
RETURN = PORTAL + "retour?session=abc%2F1&lang=fr"
REFUSED_NOTICE = "Le lien de votre portail famille n'a pas pu être pris en compte"


def national(siret, **params):
    return f"/qf/collectivites/{siret}/me_connecter" + (f"?{urlencode(params)}" if params else "")


def portal_link(page_html):
    marker = (
        'class="qf-portal-link"><a class="qf-button qf-button--secondary fr-btn fr-btn--secondary" href="'
    )
    if marker not in page_html:
        return None
    return html.unescape(page_html.split(marker, 1)[1].split('"', 1)[0])


def transmit_through_franceconnect(client, page, respx_mock):
    """Login (FranceConnect and API Particulier faked at the transport), consent, one child ticked."""
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, api.DUPONT)
    response = client.get(fc.authorize(client, page.url + "connexion/"))
    assert response["Location"] == page.url + "consentement/"
    assert client.get(page.url + "consentement/").status_code == 200
    form = client.get(page.url + "quotient/").context["form"]
    child = next(iter(form.fields["children"].choices))[0]
    response = client.post(
        page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": [child], "confirm": "on"},
    )
    assert response.status_code == 302 and response["Location"] == page.url + "confirmation/"
    return client.get(response["Location"]).content.decode()


def test_siret_to_page_to_franceconnect_and_back_to_redirect_uri_untouched(
    client, qf_page, make_token, respx_mock
):
    make_token(qf_page, redirect_uris=PORTAL, return_untouched=True)
    response = client.get(national(SIRET, external_id="FAM-0042", redirect_uri=RETURN))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == qf_page.url
    assert parse_qs(location.query) == {"external_id": ["FAM-0042"], "redirect_uri": [RETURN]}
    start = client.get(response["Location"]).content.decode()
    assert REFUSED_NOTICE not in start

    confirmation = transmit_through_franceconnect(client, qf_page, respx_mock)
    assert portal_link(confirmation) == RETURN  # exactly as given: nothing added, nothing re-encoded
    assert Submission.objects.get().external_id == "FAM-0042"


def test_without_the_option_the_way_back_carries_the_dossier(client, qf_page, make_token, logged_in):
    make_token(qf_page, redirect_uris=PORTAL)
    client.get(client.get(national(SIRET, external_id="FAM-7", redirect_uri=RETURN))["Location"])
    form_token = logged_in(qf_page, family_result())
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    confirmation = client.get(client.post(qf_page.url + "quotient/", data)["Location"]).content.decode()
    query = parse_qs(urlsplit(portal_link(confirmation)).query)
    reference = Submission.objects.get().reference
    assert query == {
        "session": ["abc/1"],
        "lang": ["fr"],
        "external_id": ["FAM-7"],
        "status": ["transmitted"],
        "reference": [reference],
    }


def test_untouched_return_is_still_checked_against_the_prefixes(client, qf_page, make_token, logged_in):
    """The option changes what is added, never what is allowed: an unregistered address is refused."""
    make_token(qf_page, redirect_uris=PORTAL, return_untouched=True)
    start = client.get(
        client.get(national(SIRET, external_id="FAM-1", redirect_uri="https://evil.test/"))["Location"]
    )
    assert REFUSED_NOTICE in start.content.decode()
    form_token = logged_in(qf_page, family_result())
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    confirmation = client.get(client.post(qf_page.url + "quotient/", data)["Location"]).content.decode()
    assert portal_link(confirmation) is None


def test_paths_of_the_national_form_all_lead_to_the_page(client, qf_page):
    for path in (
        f"/qf/collectivites/{SIRET}/me_connecter",
        f"/qf/collectivites/{SIRET}/me_connecter/",
        f"/qf/collectivites/{SIRET}",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == qf_page.url, path


def test_served_commune_siret_leads_to_the_intercommunal_page_with_the_commune_chosen(client, make_qf_page):
    epci = make_qf_page(
        slug="qf-metropole",
        commune_name="Rennes Métropole",
        commune_cog="35238",
        commune_postcode="35000",
        siret="24350013900189",
    )
    for order, (cog, siret) in enumerate([("35238", "21350238800019"), ("35024", "21350024500013")]):
        commune = ServedCommune(page=epci, sort_order=order, cog=cog, siret=siret)
        commune.full_clean(exclude=["page"])
        commune.save()
    response = client.get(national("21350024500013"))
    assert response["Location"] == epci.url
    assert client.session["wagtail_qf"]["communes"] == {str(epci.pk): "35024"}
    start = client.get(epci.url).content.decode()
    assert 'name="commune" value="35024" checked' in start
    assert 'name="commune" value="35238" checked' not in start


def test_a_page_own_siret_wins_and_a_qf_page_before_another(client, make_qf_page, two_communes):
    creche = make_qf_page(slug="creche", source_qf=False, require_qf=False, source_eaje=True, siret=SIRET)
    qf, other_qf = two_communes[1], two_communes[3]  # made before: same SIRET, collect the QF
    assert creche.pk > other_qf.pk > qf.pk
    assert client.get(national(SIRET))["Location"] == "/qf-a/"  # the oldest QF page
    type(qf).objects.filter(pk__in=[qf.pk, other_qf.pk]).update(live=False)
    assert client.get(national(SIRET))["Location"] == "/creche/"  # only live pages


@pytest.mark.parametrize("siret", ["12345678901234", "2135005180001", "not-a-siret"])
def test_unknown_siret_tells_the_family_what_to_do(client, qf_page, siret, caplog):
    with caplog.at_level("WARNING", logger="wagtail_qf.api.deeplink"):
        response = client.get(national(siret, external_id="FAM-1", redirect_uri=PORTAL + "?nom=DUPONT"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Service introuvable" in page and "attestation de quotient familial" in page
    assert "Revenir à l'accueil du site" in page
    assert "deep link refused reason=siret" in caplog.text and "DUPONT" not in caplog.text


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        (
            {"external_id": "FAM-1", "redirect_uri": "https://autre-portail.test/famille/?nom=DUPONT"},
            "adresse de retour",
        ),
        ({"external_id": "FAM 1 <x>", "redirect_uri": PORTAL}, "identifiant de la famille"),
        ({"redirect_uri": PORTAL}, "identifiant de la famille"),
    ],
)
def test_refused_link_is_told_to_the_family_and_kept_for_the_webmaster(
    client, qf_page, make_token, admin_client, params, reason
):
    make_token(qf_page, redirect_uris=PORTAL)
    response = client.get(client.get(national(SIRET, **params))["Location"])
    assert response.status_code == 200  # the journey goes on
    assert REFUSED_NOTICE in response.content.decode()
    assert "Retournez ensuite sur votre portail famille par vos propres moyens" in response.content.decode()

    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[qf_page.pk])).content.decode()
    assert "Lien profond refusé" in history and reason in html.unescape(history)
    assert "DUPONT" not in history and "FAM 1" not in history  # nothing of the family


def test_accepted_link_shows_no_notice_and_leaves_no_history(client, qf_page, make_token):
    from wagtail.models import PageLogEntry

    make_token(qf_page, redirect_uris=PORTAL)
    response = client.get(client.get(national(SIRET, external_id="FAM-1", redirect_uri=PORTAL))["Location"])
    assert REFUSED_NOTICE not in response.content.decode()
    assert not PageLogEntry.objects.filter(action=REFUSED_ACTION).exists()


def test_refusals_kept_in_the_history_are_capped_a_day(client, qf_page, settings):
    from wagtail.models import PageLogEntry

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"deeplink": (1000, 60)}}
    for n in range(MAX_RECORDED_A_DAY + 5):
        client.get(qf_page.url, {"external_id": f"FAM-{n}", "redirect_uri": "https://robot.test/"})
    entries = PageLogEntry.objects.filter(page=qf_page, action=REFUSED_ACTION)
    assert entries.count() == MAX_RECORDED_A_DAY
    assert entries.first().data == {"reason": "redirect_uri", "host": "robot.test"}


@pytest.mark.urls("tests.editors_dropin.urls_at_root")
def test_a_site_may_serve_the_national_paths_at_its_root(client, qf_page, make_token):
    """Only the host changes for the editors: ``/collectivites/<SIRET>/me_connecter`` as it is."""
    make_token(qf_page, redirect_uris=PORTAL)
    response = client.get(
        f"/collectivites/{SIRET}/me_connecter?" + urlencode({"external_id": "F1", "redirect_uri": PORTAL})
    )
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"external_id": ["F1"], "redirect_uri": [PORTAL]}
    assert (
        client.get(f"/qf/collectivites/{SIRET}/me_connecter")["Location"] == qf_page.url
    )  # and under the app's


def test_the_token_form_offers_the_untouched_return(admin_client, qf_page):
    response = admin_client.get(reverse("wagtail_qf_editors:add"))
    assert 'name="return_untouched"' in response.content.decode()
    data = {
        "name": "Portail X",
        "pages": [qf_page.pk],
        "is_active": "on",
        "redirect_uris": PORTAL,
        "return_untouched": "on",
    }
    assert admin_client.post(reverse("wagtail_qf_editors:add"), data).status_code == 302
    from wagtail_qf.models import EditorToken

    assert EditorToken.objects.get(name="Portail X").return_untouched is True
