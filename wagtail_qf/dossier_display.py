"""How a dossier is presented to an agent: the same on the admin page and in the PDF.

Who the dossier is for, what is certified and what was typed, and which family
sections the page collects are worked out here once (no reportlab import: the
admin page uses it too).
"""

from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from .models.submissions import Source
from .templatetags.qf_tags import qf_date


@dataclass(frozen=True)
class DossierDisplay:
    commune: str  # the commune the dossier is for, « Betton (35024) »
    service: str  # on an intercommunal page, the page's own (the EPCI) that handles it; else ""
    siret: str  # the page's: the recipient declared to API Particulier
    siret_label: str
    requester_note: str  # whether the identity is certified (FranceConnect) or typed
    family_note: str  # who certified the quotient familial and the family
    qf_month: str  # « novembre 2026 »
    allocataires: list[str]  # « Jean DUPONT (MARTIN), né le 4 mars 2012 »
    shows_children: bool  # the page collects children, or the dossier has some
    children: list[str]  # the children ticked
    no_children: str  # what is said when none was ticked
    birthplace: str  # « Rennes (35238) »
    birthcountry: str  # « Espagne (99134) »; « France » alone


def _born(sexe):
    """« né le %(date)s », « née le %(date)s »: API Particulier gives the sex (M/F)."""
    return {"F": _("née le %(date)s"), "M": _("né le %(date)s")}.get(sexe) or _("né(e) le %(date)s")


def person_line(p: dict) -> str:
    """« Jean DUPONT (MARTIN), né le 4 mars 2012 », from a stored allocataire or child."""
    name = " ".join(v for v in (p.get("prenoms"), p.get("nom_naissance")) if v)
    if p.get("nom_usage"):
        name += f" ({p['nom_usage']})"
    if p.get("date_naissance"):
        name += ", " + _born(p.get("sexe")) % {"date": qf_date(p["date_naissance"])}
    return name


def month_label(month, year) -> str:
    """« janvier 2026 », from Django's translated month names."""
    return f"{MONTHS[month]} {year}" if month and year else "–"


def _with_code(name: str, code: str) -> str:
    if name and code:
        return f"{name} ({code})"
    return name or code


def _recipient(submission, page) -> tuple[str, str]:
    """(commune, service): the commune chosen on an intercommunal page is the recipient,
    the page's commune (the EPCI) the service. A dossier from before communes were stored
    is the page's commune's."""
    page_name = getattr(page, "commune_name", "") or page.title
    page_cog = getattr(page, "commune_cog", "")
    name, cog = submission.commune_name, submission.commune_cog
    if not name:
        return _with_code(page_name, page_cog), ""
    intercommunal = getattr(page, "serves_several_communes", False) or (cog and cog != page_cog)
    return _with_code(name, cog), page_name if intercommunal and page_name != name else ""


def _requester_note(submission) -> str:
    if submission.source == Source.IDENTITY:
        return _(
            "Identité saisie par le demandeur, sans FranceConnect : elle n'est pas certifiée. "
            "Le quotient familial est celui du dossier CAF ou MSA qui correspond à cette identité."
        )
    return _("Identité certifiée par FranceConnect.")


def _family_note(submission) -> str:
    if submission.qf_provider:
        return _("Données certifiées par la %(provider)s, transmises par API Particulier.") % {
            "provider": submission.get_qf_provider_display()
        }
    return _("Données certifiées par la CAF ou la MSA, transmises par API Particulier.")


def _birthplace(code: str) -> str:
    from .communes.search import get

    commune = get(code) if code else None
    return _with_code(commune.name if commune else "", code)


def _birthcountry(code: str) -> str:
    from .communes.countries import FRANCE, get

    if code == FRANCE:
        return _("France")
    country = get(code) if code else None
    return _with_code(country.name if country else "", code)


def display_of(submission, page=None) -> DossierDisplay:
    """What the agent reads about ``submission`` (``page``: its specific page, if already loaded)."""
    page = page or submission.page.specific
    commune, service = _recipient(submission, page)
    return DossierDisplay(
        commune=commune,
        service=service,
        siret=getattr(page, "siret", ""),
        siret_label=_("SIRET du service gestionnaire") if service else _("SIRET de la commune"),
        requester_note=_requester_note(submission),
        family_note=_family_note(submission),
        qf_month=month_label(submission.qf_month, submission.qf_year),
        allocataires=[person_line(p) for p in submission.allocataires or ()],
        shows_children=bool(submission.children) or bool(getattr(page, "collect_children", False)),
        children=[person_line(p) for p in submission.children or ()],
        no_children=_("Aucun enfant désigné par le demandeur."),
        birthplace=_birthplace(submission.birthplace),
        birthcountry=_birthcountry(submission.birthcountry),
    )
