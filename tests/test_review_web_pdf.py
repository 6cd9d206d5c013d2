"""The PDF summary prints every name it is given, and its dates as the rest of the site writes
them (review of what the family and the agents receive)."""

import datetime

import pytest
from reportlab.pdfbase import pdfmetrics

from wagtail_qf.summary_pdf import FONT, render_submission_pdf

from .test_summary_pdf import read

pytestmark = pytest.mark.django_db


def drawable(text):
    """The characters of ``text`` the PDF's font has no glyph for (printed as nothing, or a box)."""
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    return {c for c in text if not c.isspace() and ord(c) not in glyphs}


def test_letters_the_font_lacks_are_printed_without_their_accent(qf_page, make_submission):
    """Bitstream Vera has no « ș », « ț », « ă » (Romanian), « ő » (Hungarian), « ễ » (Vietnamese):
    the letter is printed bare rather than left out (« tefan »)."""
    dossier = make_submission(
        qf_page, given_names="Ștefan Ană", family_name="ȚURCANU", usage_name="NGUYỄN KŐVÁRI"
    )
    _reader, text = read(render_submission_pdf(dossier))
    assert "Stefan Ana" in text and "TURCANU" in text and "NGUYEN KOVÁRI" in text
    assert not drawable(text)


def test_decomposed_accents_are_printed_as_one_letter(qf_page, make_submission):
    """A name in NFD (« E » then a combining acute), as some systems send it, reads « É »."""
    dossier = make_submission(qf_page, given_names="E\u0301lodie Chloe\u0308")
    _reader, text = read(render_submission_pdf(dossier))
    assert "Élodie Chloë" in text and not drawable(text)


def test_characters_with_no_letter_to_print_are_marked(qf_page, make_submission):
    """An emoji, a script the font lacks: a « ? » says something could not be printed; invisible
    direction marks are left out."""
    dossier = make_submission(qf_page, given_names="Paul\u202e 😀", family_name="محمد")
    _reader, text = read(render_submission_pdf(dossier))
    assert "Paul ?" in text and "????" in text and not drawable(text)


def test_dates_read_as_on_the_dossier_page(qf_page, make_submission):
    """« 1er février 2026 à 14 h 05 », as the agent's dossier page and the follow-up page write it."""
    dossier = make_submission(qf_page, submitted_at=datetime.datetime(2026, 2, 1, 13, 5, tzinfo=datetime.UTC))
    _reader, text = read(render_submission_pdf(dossier))
    assert "Transmis le 1er février 2026 à 14 h 05" in text
