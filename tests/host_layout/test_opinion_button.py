"""Services Publics+'s « Je donne mon avis » on the confirmation pages, set page by page (issue 20)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from wagtail_qf.models import QFTransmissionPage

from ..journey.identity_helpers import send as send_without_franceconnect
from ..journey.test_summary_lifetime import transmit

pytestmark = pytest.mark.django_db

OPINION = (
    "https://jedonnemonavis.numerique.gouv.fr/Demarches/3846?&view-mode=formulaire-avis"
    "&nd_source=button&key=ba28b0f85134e19f6dd7124d50d98ca2"
)
BUTTON = re.compile(r'<a class="[^"]*fr-btn[^"]*" href="([^"]+)"[^>]*>Je donne mon avis</a>')


def buttons(html: str) -> list[str]:
    return BUTTON.findall(html.replace("&amp;", "&"))


def test_the_confirmation_offers_the_page_opinion_link(client, make_qf_page, logged_in):
    page = make_qf_page(opinion_url=OPINION)
    transmit(client, page, logged_in)
    html = client.get(page.url + "confirmation/").content.decode()
    assert buttons(html) == [OPINION]  # its accessible name is its text, « Je donne mon avis »


def test_no_button_when_the_page_sets_no_link(client, qf_page, logged_in):
    transmit(client, qf_page, logged_in)
    html = client.get(qf_page.url + "confirmation/").content.decode()
    assert "Je donne mon avis" not in html


def test_the_confirmation_without_franceconnect_offers_it_too(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, opinion_url=OPINION)
    html = client.get(send_without_franceconnect(client, page)["Location"]).content.decode()
    assert buttons(html) == [OPINION]


@pytest.mark.parametrize(
    "url",
    [
        "http://jedonnemonavis.numerique.gouv.fr/Demarches/1",
        "javascript:alert(1)",
        "https://a b.fr/",
        "/avis/",
    ],
)
def test_the_link_must_be_a_full_https_address(url):
    field = QFTransmissionPage._meta.get_field("opinion_url")
    with pytest.raises(ValidationError):
        field.clean(url, None)


def test_a_services_publics_plus_address_is_accepted():
    field = QFTransmissionPage._meta.get_field("opinion_url")
    assert field.clean(OPINION, None) == OPINION
    assert field.clean("", None) == ""


def test_http_is_accepted_only_in_development():
    field = QFTransmissionPage._meta.get_field("opinion_url")
    with override_settings(DEBUG=True):
        assert field.clean("http://127.0.0.1:8000/avis/", None)
