"""Review b1: the webmaster's side of Pass Famille: a live page asking tax data once the site has
lost its DGFiP credentials is told by the system checks (run by ``migrate`` and ``check
--database``), before citizens meet « Le service de la commune ne peut pas obtenir vos données
fiscales »; a source turned off after dossiers exist keeps them whole for the agent."""

import datetime

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from wagtail_qf.dossiers.columns import export_columns

pytestmark = pytest.mark.django_db

WITHOUT_DGFIP = {key: value for key, value in settings.WAGTAIL_QF.items() if key != "DGFIP"}


def test_a_live_tax_data_page_without_the_dgfip_settings_is_a_system_check_warning(dgfip_on, make_qf_page):
    page = make_qf_page(title="Tarifs sur l'avis d'impôt", source_dgfip=True)
    with override_settings(WAGTAIL_QF=WITHOUT_DGFIP):
        found = [
            message
            for message in checks.run_checks(databases=["default"])
            if message.id.startswith("wagtail_qf.") and "DGFIP" in message.msg
        ]
    assert found, "no system check names the live page asking tax data without WAGTAIL_QF['DGFIP']"
    assert all(message.level >= checks.WARNING for message in found)
    assert any(str(page.pk) in message.msg or page.title in message.msg for message in found)


def test_the_dgfip_settings_are_not_asked_of_a_site_whose_pages_do_not_ask_tax_data(qf_page):
    with override_settings(WAGTAIL_QF=WITHOUT_DGFIP):
        messages = checks.run_checks(databases=["default"])
    assert not [m for m in messages if m.id.startswith("wagtail_qf.") and "DGFIP" in m.msg]


def test_tax_data_of_dossiers_made_before_the_source_was_turned_off_stay_for_the_agent(
    dgfip_on, make_qf_page, make_submission, admin_client
):
    page = make_qf_page(source_dgfip=True)
    dossier = make_submission(
        page, tax_data={"annee_revenus": 2025, "annee_demandee": 2025, "rfr": 36705, "nb_parts": 2.5}
    )
    page.source_dgfip = False
    page.save_revision().publish()
    detail = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "36\xa0705\xa0€" in detail or "36 705 €" in detail
    assert "Revenu fiscal de référence (€)" in [str(c.heading) for c in export_columns()]


def test_a_fixed_income_year_not_yet_declared_is_refused_to_the_webmaster(dgfip_on):
    """The income of the current year is declared next spring: no family could have its avis."""
    from wagtail_qf.models import QFTransmissionPage

    page = QFTransmissionPage(
        title="QF",
        commune_cog="35051",
        siret="21350051800013",
        source_dgfip=True,
        income_year_rule="fixed",
        fixed_income_year=datetime.date.today().year,
    )
    with pytest.raises(ValidationError) as raised:
        page.clean()
    assert "fixed_income_year" in raised.value.message_dict
