"""A one-dossier PDF summary, for an agent to file or print.

Set in Bitstream Vera (shipped with reportlab, embedded as a subset): it has
the € sign, French accents and ligatures, and most Latin names. An anonymised
dossier shows only what the retention purge keeps: no personal data.
"""

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
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

from .dossier_display import display_of
from .templatetags.qf_tags import qf_date, qf_euros

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


def _datetime(value):
    """« 3 mars 2026 14:05 », in Europe/Paris (the project's TIME_ZONE)."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _para(text, style=BODY):
    return Paragraph(escape(str(text)), style)


def _fields(rows):
    """A two-column label/value table; rows with an empty value are left out."""
    data = [[_para(label), _para(value)] for label, value in rows if value not in (None, "")]
    table = Table(data, colWidths=[55 * mm, None], hAlign="LEFT")
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


def _section(title, lines):
    return [_para(title, HEADING), *[_para(line) for line in lines]] if lines else []


def render_submission_pdf(submission) -> bytes:
    """The PDF summary of one dossier (:class:`~wagtail_qf.models.Submission`)."""
    page = submission.page.specific
    display = display_of(submission, page)
    author = getattr(page, "commune_name", "") or page.title
    generated = _("Récapitulatif généré le %(date)s") % {"date": _datetime(timezone.now())}

    title = str(capfirst(page._meta.verbose_name))  # « Transmission du quotient familial »
    story = [
        _para(title, TITLE),
        _fields(
            [
                (_("Commune destinataire"), display.commune),
                (_("Service gestionnaire"), display.service),
                (display.siret_label, display.siret),
                (_("Référence"), submission.reference),
                (_("Transmis le"), _datetime(submission.submitted_at)),
                (_("Parcours"), submission.get_source_display()),
                (_("Statut"), submission.get_status_display()),
            ]
        ),
    ]

    if submission.anonymised_at:
        story += [
            Spacer(0, 4 * mm),
            _para(
                _("Données personnelles effacées le %(date)s (durée de conservation dépassée).")
                % {"date": _datetime(submission.anonymised_at)}
            ),
        ]
    else:
        birthdate = submission.birthdate
        story += [
            _para(_("Demandeur"), HEADING),
            _para(display.requester_note),
            Spacer(0, 2 * mm),
            _fields(
                [
                    (_("Nom de naissance"), submission.family_name),
                    (_("Nom d'usage"), submission.usage_name),
                    (_("Prénoms"), submission.given_names),
                    (_("Date de naissance"), qf_date(birthdate) if birthdate else ""),
                    (_("Sexe"), submission.gender_label),
                    (_("Commune de naissance"), display.birthplace),
                    (_("Pays de naissance"), display.birthcountry),
                    (_("Adresse électronique"), submission.email),
                ]
            ),
            _para(_("Quotient familial"), HEADING),
            _para(display.family_note),
            *([_para(f"{_('Vérification CAF/MSA')} : {display.lookup}")] if display.lookup else []),
            Spacer(0, 2 * mm),
            _fields(
                [
                    (
                        _("Valeur"),
                        "–" if submission.qf_value is None else f"{qf_euros(submission.qf_value)}\xa0€",
                    ),
                    (_("Mois"), display.qf_month),
                    (_("Organisme"), submission.get_qf_provider_display()),
                    (_("Tranche tarifaire"), submission.tariff_bracket),
                ]
            ),
        ]
        story += _section(_("Allocataires"), display.allocataires)
        if display.shows_children:
            story += _section(_("Enfants concernés"), display.children or [display.no_children])
        story += _section(
            _("Enfants déclarés par le demandeur"),
            [
                f"{line} – "
                + (
                    _("retrouvé dans le dossier CAF ou MSA")
                    if matched
                    else _("non retrouvé : à vérifier avec la famille")
                )
                for line, matched in display.declared_children
            ],
        )
        address = [v for v in (submission.address or {}).values() if v]
        story += _section(_("Adresse connue de la CAF ou de la MSA"), address)

    def footer(canvas, doc):
        para = _para(generated, FOOTER)
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
        title=f"{title} — {submission.reference}",
        author=author,
        subject=str(capfirst(submission._meta.verbose_name)),
    )
    # The footer is drawn after each page's content: it comes last in the reading order.
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="content")
    doc.addPageTemplates([PageTemplate(frames=[frame], onPageEnd=footer)])
    doc.build(story)
    return buffer.getvalue()


def pdf_response(submission):
    """The summary as a download, never cached (it holds personal data)."""
    response = HttpResponse(render_submission_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{submission.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
