"""A one-dossier PDF summary, for an agent to file or print.

Set in Bitstream Vera (shipped with reportlab, embedded as a subset): it has
the € sign, French accents and ligatures, and most Latin names. An anonymised
dossier shows only what the retention purge keeps: no personal data.
"""

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.dates import MONTHS
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


def _month(month, year):
    """« janvier 2026 », from Django's translated month names."""
    return f"{MONTHS[month]} {year}" if month and year else "–"


def _person(p):
    """« Jean DUPONT (MARTIN), né(e) le 4 mars 2012 »."""
    name = " ".join(v for v in (p.get("prenoms"), p.get("nom_naissance")) if v)
    if p.get("nom_usage"):
        name += f" ({p['nom_usage']})"
    if p.get("date_naissance"):
        name += ", " + _("né(e) le %(date)s") % {"date": qf_date(p["date_naissance"])}
    return name


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


def _label(instance, field):
    return str(capfirst(instance._meta.get_field(field).verbose_name))


def render_submission_pdf(submission) -> bytes:
    """The PDF summary of one dossier (:class:`~wagtail_qf.models.Submission`)."""
    page = submission.page.specific
    commune = page.commune_name or page.title
    generated = _(
        "Données certifiées transmises par API Particulier (CAF/MSA) — document généré le %(date)s"
    ) % {"date": _datetime(timezone.now())}

    title = str(capfirst(page._meta.verbose_name))  # « Transmission du quotient familial »
    story = [
        _para(title, TITLE),
        _fields(
            [
                (_label(page, "commune_name"), commune),
                (_label(page, "commune_cog"), page.commune_cog),
                (_label(page, "siret"), page.siret),
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
            _fields(
                [
                    (_("Nom de naissance"), submission.family_name),
                    (_("Nom d'usage"), submission.usage_name),
                    (_("Prénoms"), submission.given_names),
                    (_("Date de naissance"), qf_date(birthdate) if birthdate else ""),
                    (_("Sexe"), submission.gender_label),
                ]
            ),
            _para(_("Quotient familial"), HEADING),
            _fields(
                [
                    (
                        _("Valeur"),
                        "–" if submission.qf_value is None else f"{qf_euros(submission.qf_value)}\xa0€",
                    ),
                    (_("Mois"), _month(submission.qf_month, submission.qf_year)),
                    (_("Organisme"), submission.get_qf_provider_display()),
                    (_("Tranche tarifaire"), submission.tariff_bracket),
                ]
            ),
        ]
        story += _section(_("Allocataires"), [_person(p) for p in submission.allocataires])
        story += _section(_("Enfants concernés"), [_person(p) for p in submission.children] or [_("Aucun.")])
        story += _section(_("Adresse (CAF/MSA)"), [v for v in (submission.address or {}).values() if v])

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
        author=commune,
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
