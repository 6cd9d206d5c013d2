"""The national form's deep link, unchanged: ``/collectivites/<SIRET>/me_connecter?external_id=…&redirect_uri=…``.

Software editors built their family portals around the State's national QF form
(etalab/formulaire-qf), which names a commune by its SIRET. The same link, on this site's
host, leads to the live QF page serving that SIRET (the page's own, or a commune it serves
on an intercommunal page: that commune is then chosen for the family), and then to the
page's own deep link (``journey.deeplink``), which checks ``external_id`` and
``redirect_uri`` as for any link. ``/collectivites/<SIRET>`` (the national form's QR code
address) leads to the same page. An unknown SIRET gets a page that says what to do.

A site that wants the very paths of the national form (only the host changes for the
editors) includes ``wagtail_qf.journey.national`` at its root too (README).
"""

import logging
import re
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import re_path
from django.views.decorators.cache import never_cache

from ..design import layout_template
from ..headers import protect
from ..models.pages import AbstractQFTransmissionPage, qf_page_models
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.api.deeplink")

SIRET = re.compile(r"[0-9]{14}")
PARAMETERS = ("external_id", "redirect_uri")


def page_for_siret(siret: str) -> tuple[AbstractQFTransmissionPage | None, str]:
    """(the live QF page serving ``siret``, the served commune's COG or ""), or (None, "").

    A page's own SIRET wins over a served commune's; then a page collecting the CAF/MSA
    quotient (the national form's data) over one that does not; then the oldest page."""
    if not SIRET.fullmatch(siret):
        return None, ""
    found = []
    for model in qf_page_models():
        if model._meta.proxy:  # its pages are read through its concrete model
            continue
        pages = model.objects.live().filter(Q(siret=siret) | Q(served_communes__siret=siret)).distinct()
        found.extend(pages)
    if not found:
        return None, ""
    page = min(found, key=lambda p: (p.siret != siret, not getattr(p, "source_qf", True), p.pk))
    if page.siret == siret:
        return page, ""
    commune = page.served_communes.filter(siret=siret).first()
    return page, commune.cog if commune else ""


@never_cache
def me_connecter(request, siret: str) -> HttpResponse:
    """To the page serving ``siret``, with the link's ``external_id`` and ``redirect_uri``."""
    siret = siret.strip()
    page, cog = page_for_siret(siret)
    url = page.get_url(request) if page is not None else None
    if url is None:
        # A SIRET is a public identifier of an organisation: it names no one.
        logger.warning("deep link refused reason=siret siret=%s", siret if SIRET.fullmatch(siret) else "-")
        context = {"qf_layout": layout_template(), "siret": siret[:14], "home_url": "/"}
        response = TemplateResponse(request, "wagtail_qf/steps/unknown_siret.html", context, status=404)
        return protect(response)
    if cog:  # an intercommunal page: the commune the link names is the family's
        CitizenSession(request, page).set_commune(page, cog)
    query = urlencode([(name, request.GET[name]) for name in PARAMETERS if name in request.GET])
    logger.info("national deep link page=%s served_commune=%s", page.pk, bool(cog))
    return HttpResponseRedirect(url + (f"?{query}" if query else ""))


# No trailing slash in the national form's paths; one is accepted too.
urlpatterns = [
    re_path(r"^collectivites/(?P<siret>[^/]{1,40})/me_connecter/?$", me_connecter, name="national_deep_link"),
    re_path(r"^collectivites/(?P<siret>[^/]{1,40})/?$", me_connecter, name="national_collectivity"),
]
