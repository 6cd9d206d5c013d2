"""What an agent reads of a dossier, on the admin page and in the PDF alike: what is certified
and what was typed, who the dossier is for on an intercommunal page, and only the family
sections the page collects."""

import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wagtail_qf.models import ServedCommune

pytestmark = pytest.mark.django_db

CERTIFIED_BY_FC = "Identité certifiée par FranceConnect"
TYPED = "Identité saisie par le demandeur, sans FranceConnect : elle n'est pas certifiée."


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def shown(admin_client):
    """The texts of the admin dossier page and of the PDF of a dossier."""

    def show(submission) -> dict:
        detail = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))
        pdf = admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[submission.pk]))
        assert detail.status_code == pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.content))
        return {
            "page": flat(html.unescape(re.sub(r"<[^>]+>", " ", detail.content.decode()))),
            "pdf": flat("\n".join(p.extract_text() for p in reader.pages)),
        }

    return show


def test_a_typed_identity_is_never_shown_as_certified_by_franceconnect(qf_page, make_submission, shown):
    typed = make_submission(qf_page, source="identity", usage_name="DURAND")
    for where, text in shown(typed).items():
        assert "FranceConnect)" not in text.replace("(sans FranceConnect)", ""), where
        assert "certifié par FranceConnect" not in text and CERTIFIED_BY_FC not in text, where
        assert TYPED in text and "DURAND" in text, where

    certified = make_submission(qf_page, source="franceconnect", usage_name="DURAND")
    for where, text in shown(certified).items():
        assert CERTIFIED_BY_FC in text and TYPED not in text, where
        assert "Données certifiées par la CAF, transmises par API Particulier." in text, where


def test_intercommunal_dossier_names_the_commune_as_recipient(make_qf_page, make_submission, shown):
    """The commune chosen on an intercommunal page is the recipient; the page's (the EPCI) the service."""
    page = make_qf_page(commune_name="Rennes Métropole Est", commune_cog="35051", siret="24350013900189")
    for order, cog in enumerate(["35051", "35024"]):
        commune = ServedCommune(page=page, sort_order=order, cog=cog)
        commune.clean()
        commune.save()
    page.save()
    betton = make_submission(page, commune_cog="35024", commune_name="Betton")
    # The seat's dossier has the page's COG: still the EPCI's service.
    cesson = make_submission(page, commune_cog="35051", commune_name="Cesson-Sévigné")
    for where, text in shown(betton).items():
        assert "Commune destinataire Betton (35024)" in text, where
        assert "Service gestionnaire Rennes Métropole Est" in text, where
        assert "SIRET du service gestionnaire 24350013900189" in text, where
    for where, text in shown(cesson).items():
        assert "Commune destinataire Cesson-Sévigné (35051)" in text, where
        assert "Service gestionnaire Rennes Métropole Est" in text, where


def test_a_communes_own_page_names_the_commune_and_no_service(qf_page, make_submission, shown):
    own = make_submission(qf_page, commune_cog="35051", commune_name="Cesson-Sévigné")
    older = make_submission(qf_page)  # from before dossiers stored their commune
    for submission in (own, older):
        for where, text in shown(submission).items():
            assert "Commune destinataire Cesson-Sévigné (35051)" in text, where
            assert "SIRET de la commune 21350051800013" in text, where
            assert "Service gestionnaire" not in text, where


def test_children_are_shown_only_on_pages_that_collect_them(make_qf_page, make_submission, shown):
    without = make_qf_page(slug="sans-enfants", collect_children=False)
    for where, text in shown(make_submission(without, children=[])).items():
        assert "Enfants concernés" not in text and "Aucun enfant" not in text, where

    collecting = make_qf_page(slug="avec-enfants")
    for where, text in shown(make_submission(collecting, children=[])).items():
        assert "Enfants concernés Aucun enfant désigné par le demandeur." in text, where


def test_birth_place_and_country_are_named(qf_page, make_submission, shown):
    dossier = make_submission(qf_page, birthplace="35238", birthcountry="99100")
    for where, text in shown(dossier).items():
        assert "Commune de naissance Rennes (35238)" in text, where
        assert "Pays de naissance France" in text, where
    abroad = make_submission(qf_page, birthplace="", birthcountry="99134")
    for where, text in shown(abroad).items():
        assert "Pays de naissance Espagne (99134)" in text, where


def test_family_members_and_month_read_the_same_on_the_page_and_in_the_pdf(qf_page, make_submission, shown):
    dossier = make_submission(
        qf_page,
        qf_month=2,
        qf_year=2026,
        allocataires=[
            {
                "nom_naissance": "MARTIN",
                "nom_usage": "DUPONT",
                "prenoms": "ÉLODIE",
                "date_naissance": "1982-01-20",
                "sexe": "F",
            }
        ],
        children=[
            {"nom_naissance": "DUPONT", "prenoms": "JEAN", "date_naissance": "2012-03-04", "sexe": "M"}
        ],
    )
    for where, text in shown(dossier).items():
        assert "ÉLODIE MARTIN (DUPONT), née le 20 janvier 1982" in text, where
        assert "JEAN DUPONT, né le 4 mars 2012" in text, where
        assert "Mois février 2026" in text, where


def test_an_anonymised_dossier_shows_the_erasure_and_no_personal_section(qf_page, make_submission, shown):
    from django.utils import timezone

    from wagtail_qf.dossiers.retention import ERASED

    dossier = make_submission(qf_page, anonymised_at=timezone.now(), **ERASED)
    for where, text in shown(dossier).items():
        assert "Données personnelles effacées le" in text, where
        for section in ("Demandeur", "Nom de naissance", "Enfants concernés", CERTIFIED_BY_FC):
            assert section not in text, where
