"""The accessibility statement (déclaration d'accessibilité) of the citizen pages.

Its facts come from the RGAA 4.1 audit kept in ``docs/accessibility/`` (``build.py`` writes
them to ``data/rgaa-audit.json``); who publishes it and how to reach them, from
``WAGTAIL_QF["ACCESSIBILITY"]``. A site overrides the template
``wagtail_qf/accessibility_statement.html`` to say more.
"""

import datetime
import functools
import json
from pathlib import Path

from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .conf import qf_settings
from .design import design, layout_template, site_name
from .headers import protect

AUDIT = Path(__file__).resolve().parent / "data" / "rgaa-audit.json"

# The legal wording of the conformity state, by rate (at least that much, in %).
STATES = ((100, _("totalement conforme")), (50, _("partiellement conforme")), (0, _("non conforme")))


@functools.cache
def audit() -> dict:
    return json.loads(AUDIT.read_text())


def rate() -> float:
    """The conformity rate of the design in use."""
    return audit()["designs"][design()]["rate"]


def state(rate: float) -> str:
    return next(str(label) for minimum, label in STATES if rate >= minimum)


def statement_url() -> str:
    """The statement's address; empty when the site did not include ``wagtail_qf.urls``."""
    try:
        return reverse("wagtail_qf:accessibility_statement")
    except NoReverseMatch:
        return ""


def statement(request) -> TemplateResponse:
    site = Site.find_for_request(request)
    settings = qf_settings.ACCESSIBILITY
    data = audit()
    written = settings["STATEMENT_DATE"] or data["date"]
    context = {
        "qf_layout": layout_template(),
        "audit": data,
        "rate": rate(),
        "state": state(rate()),
        "entity": settings["ENTITY"] or site_name(site, request),
        "contact": settings,
        "statement_date": datetime.date.fromisoformat(written),
        "audit_date": datetime.date.fromisoformat(data["date"]),
        "home_url": site.root_page.get_url(request) if site else "/",
    }
    return protect(TemplateResponse(request, "wagtail_qf/accessibility_statement.html", context))
