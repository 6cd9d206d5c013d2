"""The commune of residence, on a page serving several communes (an EPCI site).

On such a page the start step asks « Votre commune de résidence » before the
login: radio buttons when the page serves at most ``DIRECT_CHOICE_MAX``
communes, otherwise a text input and « Rechercher » posting the form back (no
JavaScript needed) with the matching served communes as radio buttons. The
choice is kept in the citizen session (``CitizenSession.set_commune``), which
survives the FranceConnect round trip, and goes in the dossier.
"""

import logging
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from ..models.communes import (
    DIRECT_CHOICE_MAX,
    ServedCommune,
    find_served,
    search_served_matches,
    served_commune_choices,
)
from ..ratelimit import is_limited
from .navigation import step_url

logger = logging.getLogger("wagtail_qf.journey")

SEARCH_ACTION = "rechercher"
MAX_QUERY = 100
# ?commune=requise on the start step: a later step was reached without a choice.
REQUIRED_FLAG = "requise"
ANCHOR = "commune-choix"  # the fieldset
SUMMARY_ANCHOR = "erreurs"  # the error summary (focusable), where the redirect lands

NEXT_STEPS = {"franceconnect": "step_login", "identite": "step_identity", "reprendre": "step_consent"}


def chosen_commune(page, citizen) -> ServedCommune | None:
    """The served commune chosen by the citizen, or None (also None on a single-commune page)."""
    cog = citizen.commune_cog(page)
    return find_served(page, cog) if cog else None


def needs_choice(page, citizen) -> bool:
    """True when the page serves several communes and none (still served) is chosen."""
    return bool(served_commune_choices(page)) and chosen_commune(page, citizen) is None


def required_redirect(page, request) -> HttpResponseRedirect:
    """Back to the start, asking for the commune of residence."""
    return HttpResponseRedirect(
        f"{step_url(page, 'step_start', request)}?commune={REQUIRED_FLAG}#{SUMMARY_ANCHOR}"
    )


@dataclass(frozen=True)
class Recipient:
    """Who receives the citizen's data, as the citizen pages name it."""

    name: str  # the commune; empty while the citizen of an intercommunal page has not chosen
    postcode: str
    service: str  # on an intercommunal page, the EPCI running the service (the page's commune_name)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postcode})" if self.postcode else self.name


def recipient(page, citizen) -> Recipient:
    """The chosen commune (the EPCI as the service) on an intercommunal page, else the page's commune."""
    name, postcode = getattr(page, "commune_name", "") or "", getattr(page, "commune_postcode", "") or ""
    if not served_commune_choices(page):
        return Recipient(name, postcode, service="")
    commune = chosen_commune(page, citizen)
    if commune is None:
        return Recipient("", "", service=name)
    return Recipient(commune.name, commune.postcode, service=name)


def resident_commune(page, citizen) -> tuple[str, str]:
    """(COG, name) stored in the dossier: the chosen commune, else the page's own."""
    commune = chosen_commune(page, citizen)
    if commune is not None:
        return commune.cog, commune.name
    return getattr(page, "commune_cog", "") or "", getattr(page, "commune_name", "") or ""


def start_context(page, request, citizen, too_many) -> tuple[dict, HttpResponse | None]:
    """(context for the start template, response or None) for a page with served communes.

    ``too_many()`` is the step's answer to a citizen over the search limit."""
    served = served_commune_choices(page)
    if not served:
        return {}, None
    direct = len(served) <= DIRECT_CHOICE_MAX
    chosen = chosen_commune(page, citizen)
    query = ""
    searching = False
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        query = (request.POST.get("commune_recherche") or "").strip()[:MAX_QUERY]
        if action == SEARCH_ACTION and not direct:
            if is_limited(request, "communes"):
                return {}, too_many()
            searching = True
        else:
            cog = (request.POST.get("commune") or "").strip()
            commune = find_served(page, cog)
            if commune is None:
                if cog:
                    logger.info("commune not served page=%s", page.pk)
                    error = _(
                        "Cette commune n'est pas desservie par ce service : choisissez votre "
                        "commune de résidence dans la liste."
                    )
                else:
                    error = _("Choisissez votre commune de résidence.")
                    # A name typed, then the login button pressed without « Rechercher »:
                    # the matches are listed to choose from.
                    if query and not direct:
                        if is_limited(request, "communes"):
                            return {}, too_many()
                        searching = True
                status = 400
            else:
                citizen.set_commune(page, commune.cog)
                target = NEXT_STEPS.get(request.POST.get("suite", ""), "step_login")
                if target == "step_identity" and not page.allow_identity_form:
                    target = "step_login"
                if target == "step_consent" and citizen.identity is None:
                    target = "step_login"
                return {}, HttpResponseRedirect(step_url(page, target, request))
    elif request.GET.get("commune") == REQUIRED_FLAG and chosen is None:
        error = _("Choisissez votre commune de résidence avant de continuer.")
        status = 400

    if direct:
        choices = served
    elif searching:
        # Every match: a postcode may be shared by dozens of served communes.
        choices = search_served_matches(served, query)
    else:
        choices = []
    found = len(choices)  # what the search found, not the commune kept from before
    # The commune already chosen stays offered (and checked) after a new search.
    posted = (request.POST.get("commune") or "").strip().upper() if request.method == "POST" else ""
    checked = posted or (chosen.cog if chosen else "")
    if not direct and chosen is not None and chosen.cog not in {c.cog for c in choices}:
        choices = [chosen, *choices]
    return {
        "served_communes": served,
        "commune_direct": direct,
        "commune_choices": choices,
        "commune_checked": checked,
        "commune_query": query,
        "commune_searching": searching,
        "commune_found": found,
        "commune_many": searching and found > DIRECT_CHOICE_MAX,
        "commune_error": error,
        "commune_anchor": ANCHOR,
        # The summary links to the first control of the choice.
        "error_summary": [("id_commune_0" if choices else "id_commune_recherche", error)] if error else [],
        "chosen_commune": chosen,
        "status": status,
    }, None
