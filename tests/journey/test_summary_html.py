"""RGAA 13.3: the PDF summary has an accessible HTML twin, with the same facts and the same
lifetime (issue 22, item 4)."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from wagtail_qf.conf import qf_settings

from ..factories import CHILDREN, family_result
from .test_summary_lifetime import age_session, transmit

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"Récapitulatif généré le [^\n]*")


def words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def pdf_lines(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [words(line) for line in GENERATED.sub("", text).splitlines() if words(line)]


def main_text(page_html: str) -> str:
    main = page_html.split("<main", 1)[1].split("</main>", 1)[0]
    return words(html.unescape(re.sub(r"<[^>]+>", " ", GENERATED.sub("", main))))


def test_html_summary_has_the_facts_of_the_pdf(client, qf_page, logged_in):
    submission = transmit(client, qf_page, logged_in)
    pdf = client.get(qf_page.url + "confirmation/recapitulatif/").content
    response = client.get(qf_page.url + "confirmation/recapitulatif/html/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    text = main_text(response.content.decode())
    lines = pdf_lines(pdf)
    assert len(lines) > 15, lines
    assert [line for line in lines if line not in text] == []
    for fact in (submission.reference, "1 234 €", CHILDREN[0].prenoms, "Demandeur", "Enfants concernés"):
        assert fact in text


def test_confirmation_links_to_both_versions(client, qf_page, logged_in):
    transmit(client, qf_page, logged_in)
    page = client.get(qf_page.url + "confirmation/").content.decode()
    assert f'href="{qf_page.url}confirmation/recapitulatif/" download' in page
    assert f'href="{qf_page.url}confirmation/recapitulatif/html/"' in page
    assert "Version accessible (HTML)" in page


def test_html_summary_lives_as_long_as_the_pdf(client, qf_page, logged_in):
    transmit(client, qf_page, logged_in)
    age_session(client, qf_settings.SESSION_TTL_SECONDS + 1)
    for url in ("confirmation/recapitulatif/", "confirmation/recapitulatif/html/"):
        response = client.get(qf_page.url + url)
        assert response.status_code == 302 and response["Location"] == qf_page.url


def test_html_summary_needs_the_dossier_of_this_session(client, qf_page, logged_in):
    logged_in(qf_page, family_result())  # logged in, nothing transmitted yet
    response = client.get(qf_page.url + "confirmation/recapitulatif/html/")
    assert response.status_code == 302 and response["Location"] == qf_page.url
