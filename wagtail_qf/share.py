"""The downloads of the page editor's panel (``page_panel.SharePanel``): the page's QR code
(SVG, PNG, from ``qr``) and a printable A4 poster (PDF), for the commune's school letters and
notice boards. Only users who may edit the page download them. reportlab is imported by the
poster only.
"""

import io
from xml.sax.saxutils import escape

import swapper
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from .models.pages import AbstractQFTransmissionPage
from .qr import page_url, qr_png, qr_svg


def poster_pdf(page, url: str) -> bytes:
    """An A4 poster: the commune, what the service does, the QR code and its address in clear."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

    from .summary_pdf import BOLD, FONT

    commune = getattr(page, "commune_name", "") or page.title
    body = ParagraphStyle("poster", fontName=FONT, fontSize=15, leading=21, alignment=TA_CENTER)
    commune_style = ParagraphStyle("commune", body, fontName=BOLD, fontSize=20, leading=26)
    title = ParagraphStyle("title", body, fontName=BOLD, fontSize=30, leading=37, spaceBefore=6 * mm)
    address = ParagraphStyle(
        "address", body, fontName=BOLD, fontSize=14, leading=19, textColor=colors.HexColor("#000091")
    )
    note = ParagraphStyle("note", body, fontSize=11, leading=15, textColor=colors.HexColor("#3a3a3a"))
    side = 95 * mm
    image = Image(io.BytesIO(qr_png(url)), width=side, height=side)

    def para(text, style) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    story = [
        para(_("Commune de %(commune)s") % {"commune": commune}, commune_style),
        para(_("Transmettez votre quotient familial en ligne"), title),
        Spacer(0, 6 * mm),
        para(
            _(
                "Avec FranceConnect, votre quotient familial est transmis directement par la CAF ou la "
                "MSA à la mairie : plus de justificatif à apporter."
            ),
            body,
        ),
        Spacer(0, 8 * mm),
        image,
        Spacer(0, 6 * mm),
        para(
            _("Scannez ce code avec l'appareil photo de votre téléphone, ou saisissez cette adresse :"), body
        ),
        Spacer(0, 3 * mm),
        para(url, address),
        Spacer(0, 10 * mm),
        para(_("Une question ? Adressez-vous à la mairie."), note),
    ]
    buffer = io.BytesIO()
    margin = 18 * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        initialFontName=FONT,
        lang="fr-FR",
        creator="wagtail_qf",
        title=_("Affiche : transmettez votre quotient familial en ligne"),
        author=commune,
    )
    doc.build(story)
    return buffer.getvalue()


# -- the downloads (admin URLs, registered by ``wagtail_hooks``) --------------------------------
def _editable_page(request, page_id):
    """The QF page ``page_id`` if the user may edit it; None when they may not."""
    Page = swapper.load_model("wagtailcore", "Page")
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, AbstractQFTransmissionPage):
        raise Http404
    return page if page.permissions_for_user(request.user).can_edit() else None


def _download(request, page_id, build, content_type, extension):
    page = _editable_page(request, page_id)
    if page is None:
        return permission_denied(request)
    url = page_url(page, request)
    if not url:
        raise Http404(_("Aucun site ne sert cette page : elle n'a pas d'adresse publique."))
    content = build(page, url)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{page.slug}-{extension}"'
    return response


def qr_svg_view(request, page_id) -> HttpResponse:
    return _download(request, page_id, lambda page, url: qr_svg(url), "image/svg+xml", "qr-code.svg")


def qr_png_view(request, page_id) -> HttpResponse:
    return _download(request, page_id, lambda page, url: qr_png(url), "image/png", "qr-code.png")


def poster_view(request, page_id) -> HttpResponse:
    return _download(request, page_id, poster_pdf, "application/pdf", "affiche.pdf")


app_name = "wagtail_qf_share"
urlpatterns = [
    path("<int:page_id>/qr-code.svg", qr_svg_view, name="qr_svg"),
    path("<int:page_id>/qr-code.png", qr_png_view, name="qr_png"),
    path("<int:page_id>/affiche.pdf", poster_view, name="poster"),
]
