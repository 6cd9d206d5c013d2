"""The demo's Pass Famille pages, with the development providers: a tax-data page and a crèche page."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from wagtail_qf.models import QFTransmissionPage

from ..fakes.devproviders import SETTINGS

pytestmark = pytest.mark.django_db

DEV_DGFIP = {
    "BASE_URL": "http://testserver/dev/dgfip/impotparticulier/1.0",
    "TOKEN_URL": "http://testserver/dev/dgfip/token",
    "CLIENT_ID": "demo-dgfip",
    "CLIENT_SECRET": "demo-dgfip-secret",
}


def test_demo_creates_a_tax_data_page_and_a_creche_page(client):
    with override_settings(DEBUG=True, WAGTAIL_QF={**SETTINGS, "DGFIP": DEV_DGFIP}):
        call_command("qf_demo", stdout=io.StringIO())
        call_command("qf_demo", stdout=io.StringIO())
        tax = QFTransmissionPage.objects.get(slug="tarifs-avis-impot")
        creche = QFTransmissionPage.objects.get(slug="creche-participation")
        assert tax.required_sources() == ["dgfip"] and tax.data_sources() == ["qf", "dgfip"]
        assert [b.label for b in tax.tariff_brackets.all()] == ["Tarif 1", "Tarif 2", "Tarif 3"]
        assert creche.data_sources() == creche.required_sources() == ["eaje"]
        assert "Votre revenu fiscal de référence" in client.get(tax.url).content.decode()


def test_without_the_dgfip_settings_the_demo_leaves_the_tax_data_page_out():
    call_command("qf_demo", stdout=io.StringIO())
    assert not QFTransmissionPage.objects.filter(slug="tarifs-avis-impot").exists()
    assert QFTransmissionPage.objects.filter(slug="creche-participation").exists()
