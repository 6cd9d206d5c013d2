"""The demo content of ``make demo``: created once, repeatable."""

import pytest
from django.core.management import call_command

from wagtail_qf.models import QFTransmissionPage

pytestmark = pytest.mark.django_db


def test_demo_creates_a_commune_page_and_an_intercommunal_page(client):
    call_command("qf_demo", stdout=open("/dev/null", "w"))
    call_command("qf_demo", stdout=open("/dev/null", "w"))  # again: nothing doubled
    main = QFTransmissionPage.objects.get(slug="quotient-familial")
    metropole = QFTransmissionPage.objects.get(slug="quotient-familial-intercommunal")
    assert main.allow_identity_form and main.live
    assert [c.name for c in metropole.served_communes.all()] == [
        "Cesson-Sévigné",
        "Betton",
        "Acigné",
        "Thorigné-Fouillard",
    ]
    start = client.get(metropole.url).content.decode()
    assert "Betton (35830)" in start
    assert "Continuer sans FranceConnect" in client.get(main.url).content.decode()


def test_favicon_ico_leads_to_the_shipped_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("wagtail_qf/favicon.svg")
