"""Review b3: the PDF summary never breaks on odd text a dossier may hold (control characters,
lone surrogates, right-to-left text, very long names): it prints what the font can draw."""

import pytest

from wagtail_qf.summary_pdf import printable, render_submission_pdf

from .test_summary_pdf import read

pytestmark = pytest.mark.django_db


def test_control_characters_and_lone_surrogates_do_not_break_the_pdf(qf_page, make_submission):
    dossier = make_submission(
        qf_page,
        given_names="Paul\x07\x1b\x0b Louis",
        family_name="N’Diaye <b>&amp;</b> \u202eMÜLLER",
        usage_name=("Le Bihan-Ménez " * 17).strip(),  # a long name, as long as the column takes (255)
    )
    _reader, text = read(render_submission_pdf(dossier))
    assert "N’Diaye <b>&amp;</b> MÜLLER" in text
    assert "Paul" in text and "Louis" in text


def test_printable_marks_what_is_no_letter_and_prints_a_line_break_as_a_space():
    assert (
        printable("Paul\tLouis\nMarie\r\nAnne\u00a0Le\u202fBihan") == "Paul Louis Marie  Anne\u00a0Le Bihan"
    )
    assert printable("a\x00\x07\ud800b") == "a???b"
