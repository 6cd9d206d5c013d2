"""A one-dossier PDF summary, for an agent to file or print (its content: ``summary``).

Set in Bitstream Vera (shipped with reportlab, embedded as a subset): it has
the € sign, French accents and ligatures, and most Latin names. An anonymised
dossier shows only what the retention purge keeps: no personal data.
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .summary import summary_of

FONT, BOLD = "QFVera", "QFVera-Bold"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
TITLE = ParagraphStyle("title", BODY, fontName=BOLD, fontSize=17, leading=21, spaceAfter=2 * mm)
HEADING = ParagraphStyle(
    "heading", BODY, fontName=BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
)
FOOTER = ParagraphStyle("footer", BODY, fontSize=7.5, leading=9, textColor=colors.grey)
MARGIN = 20 * mm


def printable(text: str) -> str:
    """``text`` as the font can draw it, rather than with holes: composed (NFC); a letter the
    font lacks without its accent (« Ș » → « S »); invisible format characters (direction
    marks) left out; a line break or a tabulation as a space; what has no letter to print (an
    emoji, another script, a control character) as « ? ».

    Bitstream Vera, the only TrueType font reportlab ships, has no « Ș ș Ț ț » (comma below), no
    « ă », « ő » nor Vietnamese letters, no other script: they print without their accent, or as
    « ? »; drawing them would take a font shipped with the app (DejaVu Sans covers them)."""
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    out = []
    for char in unicodedata.normalize("NFC", text):
        if ord(char) in glyphs and unicodedata.category(char) != "Cc":
            out.append(char)
        elif char.isspace():  # a tabulation, a line break: a space, not a « ? »
            out.append(" ")
        elif unicodedata.category(char) != "Cf":
            bare = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in bare if ord(c) in glyphs and not unicodedata.combining(c)) or "?")
    return "".join(out)


def _para(text, style=BODY):
    return Paragraph(escape(printable(str(text))), style)


def _fields(rows):
    """A two-column label/value table."""
    table = Table(
        [[_para(label), _para(value)] for label, value in rows], colWidths=[55 * mm, None], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#3a3a3a")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
            ]
        )
    )
    return table


def _section(section):
    story = [_para(section.title, HEADING)] if section.title else [Spacer(0, 4 * mm)]
    story += [_para(note) for note in section.notes]
    if section.rows:
        story += [Spacer(0, 2 * mm), _fields(section.rows)]
    return story + [_para(line) for line in section.lines]


def render_submission_pdf(submission) -> bytes:
    """The PDF summary of one dossier (:class:`~wagtail_qf.models.Submission`)."""
    summary = summary_of(submission)
    story = [_para(summary.title, TITLE), _fields(summary.rows)]
    for section in summary.sections:
        story += _section(section)

    def footer(canvas, doc) -> None:
        para = _para(summary.generated, FOOTER)
        _w, height = para.wrapOn(canvas, doc.width, MARGIN)
        para.drawOn(canvas, doc.leftMargin, MARGIN - height - 4 * mm)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        initialFontName=FONT,
        lang="fr-FR",
        creator="wagtail_qf",
        title=f"{summary.title} — {summary.reference}",
        author=summary.author,
        subject=summary.subject,
    )
    # The footer is drawn after each page's content: it comes last in the reading order.
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="content")
    doc.addPageTemplates([PageTemplate(frames=[frame], onPageEnd=footer)])
    doc.build(story)
    return buffer.getvalue()


def pdf_response(submission) -> HttpResponse:
    """The summary as a download, never cached (it holds personal data)."""
    response = HttpResponse(render_submission_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{submission.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
