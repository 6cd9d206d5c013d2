"""How a dossier is presented to an agent: the same on the admin page and in the PDF.

Who the dossier is for, what is certified and what was typed, and which family
sections the page collects are worked out here once (no reportlab import: the
admin page uses it too).
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import date_text, euros, grouped_number, moment_text
from .models.submissions import EmailOrigin, Lookup, Source


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
    shows_children: bool  # the family was asked for its children (``children_asked``), or has some
    children: list[str]  # the children ticked
    no_children: str  # what is said when none was ticked
    birthplace: str  # « Rennes (35238) »
    birthcountry: str  # « Espagne (99134) »; « France » alone
    # The same names without their code (the admin page sets the code apart); "" when unknown.
    birthplace_name: str = ""  # « Rennes », « Ancienne commune Amareins (aujourd'hui Francheleins) »
    birthcountry_name: str = ""  # « Espagne », « France »
    # Whether the identity (and the address) were certified by FranceConnect, or typed.
    identity_certified: bool = False
    email_certified: bool = False
    # Path without FranceConnect: what the check with API Particulier found, in words (else "").
    lookup: str = ""
    # The children the citizen declared: (« Léa, née le 2 mars 2016 », found in the family).
    declared_children: tuple[tuple[str, bool], ...] = ()
    # Pass Famille: whether the dossier has a CAF/MSA quotient familial section; the tax data
    # (DGFiP) and crèche data (EAJE) as (label, value) rows; the sources asked but not obtained.
    shows_qf: bool = True
    tax_note: str = ""
    tax_rows: tuple[tuple[str, str], ...] = ()
    eaje_rows: tuple[tuple[str, str], ...] = ()
    missing_sources: tuple[str, ...] = ()
    bracket_basis: str = ""  # « revenu fiscal de référence par part : 14 682 € » (else "")


def _born(sexe):
    """« né le %(date)s », « née le %(date)s »: API Particulier gives the sex (M/F)."""
    return {"F": _("née le %(date)s"), "M": _("né le %(date)s")}.get(sexe) or _("né(e) le %(date)s")


def person_line(p: dict) -> str:
    """« Jean DUPONT (MARTIN), né le 4 mars 2012 », from a stored allocataire or child."""
    name = " ".join(v for v in (p.get("prenoms"), p.get("nom_naissance")) if v)
    if p.get("nom_usage"):
        name += f" ({p['nom_usage']})"
    if p.get("date_naissance"):
        name += ", " + _born(p.get("sexe")) % {"date": date_text(p["date_naissance"])}
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
    if submission.source == Source.COUNTER:
        return _(
            "Saisi au guichet par %(agent)s, sans FranceConnect : l'identité, saisie par l'agent, "
            "n'est pas certifiée. Le quotient familial est celui du dossier CAF ou MSA qui correspond "
            "à cette identité."
        ) % {"agent": _agent_name(submission.entered_by)}
    if submission.source == Source.IDENTITY:
        return _(
            "Identité saisie par le demandeur, sans FranceConnect : elle n'est pas certifiée. "
            "Le quotient familial est celui du dossier CAF ou MSA qui correspond à cette identité."
        )
    return _("Identité certifiée par FranceConnect.")


def _agent_name(user) -> str:
    if user is None:
        return _("un agent dont le compte a été supprimé")
    return user.get_full_name() or user.get_username()


def _family_note(submission) -> str:
    if submission.lookup and submission.lookup != Lookup.FOUND:  # not (yet) checked with API Particulier
        return _("Aucune donnée de la CAF ou de la MSA pour l'instant : voir la vérification CAF/MSA.")
    if submission.qf_provider:
        return _("Données certifiées par la %(provider)s, transmises par API Particulier.") % {
            "provider": submission.get_qf_provider_display()
        }
    return _("Données certifiées par la CAF ou la MSA, transmises par API Particulier.")


def _birthplace_name(code: str) -> str:
    """« Rennes »; a commune merged since: « Ancienne commune Amareins (aujourd'hui Francheleins) »."""
    from .communes.search import get

    commune = get(code) if code else None
    if commune is None:
        return ""
    current = get(commune.current_code) if commune.is_former else None
    if current is not None and current.code != commune.code:
        return _("Ancienne commune %(name)s (aujourd'hui %(current)s)") % {
            "name": commune.name,
            "current": current.name,
        }
    if commune.is_former:
        return _("Ancienne commune %(name)s") % {"name": commune.name}
    return commune.name


def _birthcountry_name(code: str) -> str:
    from .communes.countries import FRANCE, get

    if code == FRANCE:
        return _("France")
    country = get(code) if code else None
    return country.name if country else ""


def _declared_line(child: dict) -> str:
    return f"{child.get('prenoms', '')}, " + _("né(e) le %(date)s") % {
        "date": date_text(child.get("date_naissance"))
    }


def _children_found(declared: list[dict]) -> str:
    found = sum(1 for child in declared if child.get("matched"))
    if not declared:
        return _("aucun enfant déclaré")
    if len(declared) == 1:
        return _("l'enfant déclaré est retrouvé") if found else _("l'enfant déclaré n'est pas retrouvé")
    return ngettext(
        "%(found)d enfant sur %(declared)d déclarés retrouvé",
        "%(found)d enfants sur %(declared)d déclarés retrouvés",
        found,
    ) % {"found": found, "declared": len(declared)}


def children_asked(submission, page) -> bool:
    """Whether the family was asked for its children when the dossier was made, so that « no child
    designated » is a choice it made: the dossier holds children (ticked or declared), or the answer
    it keeps has the key ``enfants`` (kept only when the page collected the children then, see
    ``dossiers.creation``, then with the ticked children only). A dossier that keeps no answer (not
    yet checked with API Particulier), or the whole answer (made by an older version), follows what
    the page collects now. The page's later changes never add a statement to an older dossier."""
    if submission.children or submission.declared_children:
        return True
    raw = submission.raw_response or {}
    if raw and not raw.get("enfants"):
        return "enfants" in raw
    collected = getattr(page, "collected_data", None)
    return "enfants" in collected() if callable(collected) else bool(getattr(page, "collect_children", False))


def lookup_line(submission, page) -> str:
    """« Trouvé : QF 650 € (janvier 2026), 2 enfants sur 2 déclarés retrouvés », « Non trouvé… »:
    where the check of a dossier without FranceConnect stands, and what the agent should do."""
    from .dossiers import lookups as lookup

    state = submission.lookup
    if state == Lookup.FOUND:
        line = _("Trouvé : QF %(value)s € (%(month)s)") % {
            "value": grouped_number(submission.qf_value),
            "month": month_label(submission.qf_month, submission.qf_year),
        }
        if children_asked(submission, page):
            line += ", " + _children_found(submission.declared_children or [])
        return line
    if state == Lookup.NOT_FOUND:
        return _(
            "Non trouvé à la CAF ni à la MSA : demandez une attestation de quotient familial à la famille."
        )
    if lookup.is_abandoned(submission):
        return _(
            "Non vérifié : le dossier a été refusé, traité ou clos avant la vérification auprès de la "
            "CAF ou de la MSA."
        )
    if state == Lookup.PENDING:
        if submission.lookup_error == lookup.BUDGET:
            return _("En attente (budget du jour atteint) : la vérification est reportée au lendemain.")
        return _("En attente de vérification auprès de la CAF ou de la MSA.")
    next_at = lookup.next_attempt_at(submission)
    if state != Lookup.FAILED:
        return ""
    if lookup.is_configuration_error(submission.lookup_error):
        reason = _(
            "API Particulier refuse l'accès du service : le jeton, ses droits ou le SIRET de la "
            "page sont à corriger par le webmestre"
        )
    else:
        reason = _("CAF, MSA ou API Particulier indisponible")
    if next_at is None:
        return _(
            "Vérification impossible après %(n)s essais (%(reason)s) : demandez une attestation de "
            "quotient familial à la famille."
        ) % {"n": submission.lookup_attempts, "reason": reason}
    return _("Vérification impossible pour le moment (%(reason)s), nouvel essai prévu le %(date)s.") % {
        "reason": reason,
        "date": moment_text(next_at),
    }


def number_label(value) -> str:
    """« 2,5 », « 3 »: a number of parts in the locale's writing."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return formats.number_format(value, use_l10n=True)


def _euros(value) -> str:
    return "" if value is None else euros(value)


def _count(value) -> str:
    return "" if value is None else str(value)


def tax_rows(tax: dict | None) -> tuple[tuple[str, str], ...]:
    from .dgfip.types import FAMILY_SITUATIONS
    from .sources import tax_address_line

    if not tax:
        return ()
    situation = tax.get("situation_famille")
    rows = [
        (_("Revenus de l'année"), str(tax.get("annee_revenus") or "")),
        (_("Revenu fiscal de référence"), _euros(tax.get("rfr"))),
        (_("Nombre de parts"), number_label(tax.get("nb_parts"))),
        (_("Situation de famille"), str(FAMILY_SITUATIONS.get(situation, situation or ""))),
        (_("Personnes à charge"), _count(tax.get("personnes_a_charge"))),
        (_("Adresse fiscale"), tax_address_line(tax.get("adresse_fiscale"))),
    ]
    return tuple((str(label), value) for label, value in rows if value)


def _tax_note(tax: dict | None) -> str:
    if not tax:
        return ""
    note = _("Données de l'avis d'impôt sur le revenu, transmises par la DGFiP (API Impôt particulier).")
    asked, year = tax.get("annee_demandee"), tax.get("annee_revenus")
    if asked and year and asked != year:
        note += " " + _(
            "Aucun avis pour les revenus de %(asked)s au moment de la demande : ce sont ceux de %(year)s."
        ) % {"asked": asked, "year": year}
    return note


def eaje_rows(eaje: dict | None) -> tuple[tuple[str, str], ...]:
    if not eaje:
        return ()
    rows = [
        (_("Ressources annuelles retenues"), _euros(eaje.get("ressources_annuelles"))),
        (_("Année du calcul des ressources"), str(eaje.get("annee_calcul") or "")),
        (_("Enfants à charge"), _count(eaje.get("nombre_enfants_a_charge"))),
        (_("Enfants bénéficiaires de l'AEEH"), _count(eaje.get("nombre_enfants_beneficiaire_aeeh"))),
    ]
    return tuple((str(label), value) for label, value in rows if value)


def _missing(submission) -> tuple[str, ...]:
    """« Données fiscales (impots.gouv.fr) : non obtenues – … » for each source that did not answer."""
    from .sources import DataSource, error_from_session

    missing = submission.missing_sources or {}
    return tuple(
        _("%(source)s : non obtenues lors de la demande – %(reason)s")
        % {"source": capfirst(source.label), "reason": error_from_session(missing[source]).user_message}
        for source in DataSource
        if source.value in missing
    )


def bracket_basis_line(tariff_basis: str, tax: dict | None) -> str:
    """« revenu fiscal de référence par part : 14 682 € » when the brackets apply to it, else ""."""
    from .sources import BracketBasis, rfr_per_part

    tax = tax or {}
    if tariff_basis != BracketBasis.RFR_PER_PART:
        return ""
    value = rfr_per_part(tax.get("rfr"), tax.get("nb_parts"))
    if value is None:  # 0 (« non imposable ») is a value: the first bracket, and why
        return ""
    return _("revenu fiscal de référence par part : %(value)s") % {"value": _euros(value)}


def display_of(submission, page=None) -> DossierDisplay:
    """What the agent reads about ``submission`` (``page``: its specific page, if already loaded)."""
    from .communes.countries import FRANCE

    page = page or submission.page.specific
    commune, service = _recipient(submission, page)
    place, country = _birthplace_name(submission.birthplace), _birthcountry_name(submission.birthcountry)
    in_france = submission.birthcountry == FRANCE  # « France » alone: the commune of birth says more
    return DossierDisplay(
        commune=commune,
        service=service,
        siret=getattr(page, "siret", ""),
        siret_label=_("SIRET du service gestionnaire") if service else _("SIRET de la commune"),
        requester_note=_requester_note(submission),
        family_note=_family_note(submission),
        qf_month=month_label(submission.qf_month, submission.qf_year),
        allocataires=[person_line(p) for p in submission.allocataires or ()],
        shows_children=bool(submission.children) or children_asked(submission, page),
        children=[person_line(p) for p in submission.children or ()],
        no_children=_("Aucun enfant désigné par le demandeur."),
        birthplace=_with_code(place, submission.birthplace),
        birthcountry=country if in_france else _with_code(country, submission.birthcountry),
        birthplace_name=place,
        birthcountry_name=country,
        identity_certified=submission.source == Source.FRANCECONNECT,
        email_certified=submission.email_origin == EmailOrigin.FRANCECONNECT,
        lookup=lookup_line(submission, page),
        declared_children=tuple(
            (_declared_line(c), bool(c.get("matched"))) for c in submission.declared_children or ()
        ),
        shows_qf=bool(submission.qf_provider or submission.qf_value is not None or submission.lookup)
        or not (submission.tax_data or submission.eaje_data or "qf" in (submission.missing_sources or {})),
        tax_note=_tax_note(submission.tax_data),
        tax_rows=tax_rows(submission.tax_data),
        eaje_rows=eaje_rows(submission.eaje_data),
        missing_sources=_missing(submission),
        bracket_basis=bracket_basis_line(submission.tariff_basis, submission.tax_data),
    )
