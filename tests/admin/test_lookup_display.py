"""What the agent reads of a dossier made without FranceConnect: the check's result in words,
the declared children matched or not, the e-mail, and the inbox filter on the check."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossier_display import display_of
from wagtail_qf.journey import lookup

pytestmark = pytest.mark.django_db

CHILDREN = [
    {"prenoms": "Léa", "date_naissance": "2018-01-30", "matched": True},
    {"prenoms": "Jean", "date_naissance": "2012-03-04", "matched": True},
]


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True, collect_children=True)


@pytest.fixture
def blind(make_submission, page):
    def make(**fields):
        values = {
            "source": "identity",
            "email": "famille.dupont@example.org",
            "qf_value": None,
            "qf_year": None,
            "qf_month": None,
            "qf_provider": "",
            "children": [],
            **fields,
        }
        return make_submission(page, **values)

    return make


def test_found_in_words(blind, page):
    dossier = blind(
        lookup="found", qf_value=650, qf_year=2026, qf_month=1, qf_provider="CNAF", declared_children=CHILDREN
    )
    assert (
        display_of(dossier, page).lookup
        == "Trouvé : QF 650 € (janvier 2026), 2 enfants sur 2 déclarés retrouvés"
    )
    dossier.declared_children = [CHILDREN[0], {**CHILDREN[1], "matched": False}]
    assert display_of(dossier, page).lookup.endswith("1 enfant sur 2 déclarés retrouvé")


def test_not_found_pending_and_failed_in_words(blind, page):
    assert display_of(blind(lookup="not_found"), page).lookup == (
        "Non trouvé à la CAF ni à la MSA : demandez une attestation de quotient familial à la famille."
    )
    assert display_of(blind(lookup="pending", lookup_error="budget"), page).lookup.startswith(
        "En attente (budget du jour atteint)"
    )
    failed = blind(
        lookup="failed", lookup_error="ProviderError:37999", lookup_attempts=1, lookup_at=timezone.now()
    )
    assert display_of(failed, page).lookup.startswith(
        "Vérification impossible pour le moment (CAF, MSA ou API Particulier indisponible), nouvel essai prévu le"
    )
    refused = blind(
        lookup="failed", lookup_error="InvalidApiToken:00101", lookup_attempts=1, lookup_at=timezone.now()
    )
    assert (
        "le jeton, ses droits ou le SIRET de la page sont à corriger par le webmestre"
        in display_of(refused, page).lookup
    )
    abandoned = blind(
        lookup="failed",
        lookup_error="Timeout:timeout",
        lookup_attempts=lookup.MAX_ATTEMPTS,
        lookup_at=timezone.now() - datetime.timedelta(days=2),
    )
    assert display_of(abandoned, page).lookup.startswith(
        f"Vérification impossible après {lookup.MAX_ATTEMPTS} essais"
    )
    assert display_of(abandoned, page).lookup.endswith(
        "demandez une attestation de quotient familial à la famille."
    )


def test_franceconnect_dossier_has_no_lookup_line(make_submission, page):
    assert display_of(make_submission(page), page).lookup == ""


def test_detail_page_shows_the_check_the_declared_children_and_the_email(admin_client, blind):
    dossier = blind(
        lookup="found",
        qf_value=650,
        qf_year=2026,
        qf_month=1,
        qf_provider="CNAF",
        declared_children=[CHILDREN[0], {**CHILDREN[1], "matched": False}],
        children=[{"nom_naissance": "DUPONT", "prenoms": "LEA", "date_naissance": "2018-01-30"}],
    )
    html = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "Trouvé : QF 650 € (janvier 2026), 1 enfant sur 2 déclarés retrouvé" in html
    assert "Identité saisie par le demandeur, sans FranceConnect : elle n&#x27;est pas certifiée" in html
    assert "Léa, né(e) le 30 janvier 2018 — retrouvé dans le dossier CAF ou MSA" in html
    assert "Jean, né(e) le 4 mars 2012 — <strong>non retrouvé : à vérifier avec la famille</strong>" in html
    assert 'href="mailto:famille.dupont@example.org"' in html


def test_not_found_dossier_claims_no_certified_data(admin_client, blind):
    dossier = blind(lookup="not_found")
    html = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "Non trouvé à la CAF ni à la MSA" in html
    assert "Données certifiées par la CAF ou la MSA" not in html


def test_inbox_filter_on_the_check(admin_client, blind, make_submission, page):
    found, not_found = blind(lookup="found"), blind(lookup="not_found")
    make_submission(page)
    response = admin_client.get(reverse("wagtail_qf_submissions:index") + "?lookup=not_found")
    assert [row.reference for row in response.context["object_list"]] == [not_found.reference]
    assert found.reference not in response.content.decode()


def test_the_pdf_says_what_the_agent_page_says_of_the_check(blind):
    from io import BytesIO

    from pypdf import PdfReader

    from wagtail_qf.summary_pdf import render_submission_pdf

    dossier = blind(
        lookup="found",
        qf_value=650,
        qf_year=2026,
        qf_month=1,
        qf_provider="CNAF",
        declared_children=[CHILDREN[0], {**CHILDREN[1], "matched": False}],
    )
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(BytesIO(render_submission_pdf(dossier))).pages
        ).split()
    )

    assert "Vérification CAF/MSA : Trouvé : QF 650 € (janvier 2026), 1 enfant sur 2 déclarés retrouvé" in text
    assert "famille.dupont@example.org" in text
    assert "retrouvé dans le dossier CAF ou MSA" in text
    assert "non retrouvé : à vérifier avec la famille" in text
