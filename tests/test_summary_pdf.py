import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from wagtail_qf.dossiers.retention import ERASED
from wagtail_qf.summary_pdf import render_submission_pdf

pytestmark = pytest.mark.django_db

FAMILY = {
    "allocataires": [
        {
            "nom_naissance": "DUPONT",
            "nom_usage": "",
            "prenoms": "Paul Louis",
            "date_naissance": "1980-06-15",
            "sexe": "M",
        },
        {
            "nom_naissance": "MARTIN",
            "nom_usage": "DUPONT",
            "prenoms": "Élodie",
            "date_naissance": "1982-01-20",
            "sexe": "F",
        },
    ],
    "children": [
        {"nom_naissance": "DUPONT", "prenoms": "JEAN", "date_naissance": "2012-03-04", "sexe": "M"},
        {"nom_naissance": "DUPONT", "prenoms": "CHLOÉ", "date_naissance": "2015-09-30", "sexe": "F"},
    ],
    # API Particulier's full answer also lists a child the citizen did not select.
    "raw_response": {"enfants": [{"nom_naissance": "DUPONT", "prenoms": "LUCIENNE"}]},
}


def read(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # French typography: non-breaking spaces in "1 234 €"; compare with plain spaces.
    return reader, " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@pytest.fixture
def dossier(qf_page, make_submission):
    return make_submission(
        qf_page,
        qf_value=1234,
        qf_month=1,
        qf_year=2026,
        qf_provider="CNAF",
        tariff_bracket="Tranche B",
        usage_name="DURAND",
        gender="male",
        address={
            "destinataire": "M. PAUL DUPONT",
            "numero_libelle_voie": "12 RUE DE LA MAIRIE",
            "code_postal_ville": "35510 CESSON-SÉVIGNÉ",
            "pays": "",
        },
        submitted_at=datetime.datetime(2026, 2, 3, 13, 5, tzinfo=datetime.UTC),
        **FAMILY,
    )


def test_full_dossier(dossier):
    pdf = render_submission_pdf(dossier)
    assert pdf.startswith(b"%PDF")
    _reader, text = read(pdf)

    assert "Transmission du quotient familial" in text
    assert dossier.reference in text
    assert "Commune destinataire Cesson-Sévigné (35051)" in text
    assert "SIRET de la commune 21350051800013" in text
    assert "3 février 2026 à 14 h 05" in text  # Europe/Paris, winter time
    assert "FranceConnect" in text
    # Requester, certified by FranceConnect.
    assert "Identité certifiée par FranceConnect." in text
    assert "DUPONT" in text and "Paul Louis" in text and "DURAND" in text
    assert "15 juin 1980" in text and "Homme" in text
    # Quotient familial: amount with the € sign, month name, organisme, bracket.
    assert "1 234 €" in text
    assert "janvier 2026" in text
    assert "Données certifiées par la CAF, transmises par API Particulier." in text
    assert "CAF" in text and "Tranche B" in text
    # Family: allocataires, the children concerned (« né », « née »: the sex is known), never the other child.
    assert "Paul Louis DUPONT, né le 15 juin 1980" in text
    assert "Élodie MARTIN (DUPONT), née le 20 janvier 1982" in text
    assert "JEAN DUPONT, né le 4 mars 2012" in text
    assert "CHLOÉ DUPONT, née le 30 septembre 2015" in text
    assert "CHLOÉ DUPONT" in text
    assert "LUCIENNE" not in text
    # Address lines, and the footer.
    assert "12 RUE DE LA MAIRIE" in text and "35510 CESSON-SÉVIGNÉ" in text
    footer = "Récapitulatif généré le"
    assert text.index("12 RUE DE LA MAIRIE") < text.index(footer)  # last in reading order


def test_metadata_and_embedded_font(dossier):
    reader, _text = read(render_submission_pdf(dossier))
    meta = reader.metadata
    assert meta.title == f"Transmission du quotient familial — {dossier.reference}"
    assert meta.author == "Cesson-Sévigné"
    assert meta.subject == "Dossier de quotient familial"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/FontDescriptor"] for font in fonts.values()]
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # embedded TrueType


def test_minimal_dossier(qf_page, make_submission):
    dossier = make_submission(
        qf_page,
        source="identity",
        qf_provider="MSA",
        qf_value=None,
        children=[],
        birthdate=None,
        given_names="Anne & <Marie>",  # not markup for reportlab's paragraphs
    )
    _reader, text = read(render_submission_pdf(dossier))
    assert "Identité saisie (sans FranceConnect)" in text
    assert "Identité saisie par le demandeur, sans FranceConnect : elle n'est pas certifiée." in text
    assert "certifiée par FranceConnect" not in text
    assert "Anne & <Marie>" in text
    assert "MSA" in text and "Enfants concernés Aucun enfant désigné par le demandeur." in text
    assert "Tranche tarifaire" not in text and "Adresse" not in text and "€" not in text


def test_anonymised_dossier_has_no_personal_data(dossier):
    # Even if a field was missed by the purge, the summary prints no personal data.
    dossier.anonymised_at = timezone.now()
    pdf = render_submission_pdf(dossier)
    _reader, text = read(pdf)
    assert dossier.reference in text and "Cesson-Sévigné" in text
    assert "3 février 2026" in text
    assert "Données personnelles effacées le" in text
    for personal in (
        "DUPONT",
        "Paul",
        "DURAND",
        "MARTIN",
        "JEAN",
        "CHLOÉ",
        "1980",
        "1 234",
        "RUE DE LA MAIRIE",
        "Tranche B",
    ):
        assert personal not in text

    for field, value in ERASED.items():  # as the retention purge leaves it
        setattr(dossier, field, value)
    assert render_submission_pdf(dossier).startswith(b"%PDF")
