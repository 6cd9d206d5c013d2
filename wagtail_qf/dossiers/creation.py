"""Turning what the citizen confirmed into a dossier, exactly once."""

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction

from ..models import Submission, follow_up_key
from ..models.submissions import EmailOrigin, Lookup, Source
from ..particulier.types import Person, QFResult
from ..signals import submission_created
from ..sources import EAJE_KEY, TAX_FIELDS, TAX_KEYS, missing_without_franceconnect
from . import history, statistics
from .notifications import notify_new_submission

logger = logging.getLogger("wagtail_qf.journey")


def _person(person: Person) -> dict:
    return {
        "nom_naissance": person.nom_naissance,
        "nom_usage": person.nom_usage,
        "prenoms": person.prenoms,
        "date_naissance": person.date_naissance,
        "sexe": person.sexe,
    }


def _fit(text: str, size: int = 255) -> str:
    """Certified names are kept whole in ``raw_response``; the columns take 255 characters."""
    return (text or "")[:size]


def _transmitted_raw(page, result: QFResult, children) -> dict:
    """The API answer restricted to what was transmitted: the keys the page collects and,
    among the family's children, only those the citizen ticked.

    ``result.enfants`` is parsed from ``raw["enfants"]`` in the same order: an entry is
    kept when its parsed child was ticked.
    """
    wanted = set(page.collected_data())
    raw = {key: value for key, value in (result.raw or {}).items() if key in wanted}
    if "enfants" in raw:
        ticked = set(children)
        raw["enfants"] = [
            entry
            for entry, child in zip(raw["enfants"] or (), result.enfants or (), strict=False)
            if child in ticked
        ]
    return raw


def shown_only(result: QFResult, keys) -> QFResult:
    """``result`` with only the family's data of ``keys`` (a page's ``collected_data()`` when the
    family was shown or told what goes): data the webmaster adds to the page afterwards never
    reaches this family's dossier."""
    keys = set(keys)
    return replace(
        result,
        allocataires=result.allocataires if "allocataires" in keys else None,
        enfants=result.enfants if "enfants" in keys else None,
        adresse=result.adresse if "adresse" in keys else None,
        raw=None if result.raw is None else {key: value for key, value in result.raw.items() if key in keys},
    )


def pass_famille_shown_only(keys, tax=None, eaje=None) -> tuple:
    """The tax data (``TaxResult``) and the crèche data (``EAJEResult``) with only what ``keys``
    (a page's ``collected_data()`` when the family is shown its data) name, as ``shown_only`` does
    for API Particulier's quotient familial: the session keeps nothing more from the fetch on, so
    the step shows, and the dossier can hold, nothing the page did not collect then.

    Returns ``(tax, eaje)``; a source whose data the page does not collect at all gives None."""
    keys = set(keys)
    if tax is not None:
        if keys.intersection(TAX_KEYS):
            cut = {field.attribute: None for field in TAX_FIELDS if field.key not in keys}
            if "personnes_a_charge" in cut:  # the detail per category comes with the count
                cut["personnes_a_charge_detail"] = None
            tax = replace(tax, **cut)
        else:
            tax = None
    if eaje is not None:
        family = shown_only(eaje, keys)  # the same family keys as the quotient familial's answer
        eaje = replace(family, parametres=eaje.parametres if EAJE_KEY in keys else None)
    return tax, eaje


def announce(submission, page) -> None:
    """``submission_created``: a failing receiver is logged, never shown to the citizen."""
    for receiver, outcome in submission_created.send_robust(Submission, submission=submission, page=page):
        if isinstance(outcome, Exception):
            logger.error(
                "receiver of submission_created failed receiver=%s error=%s",
                getattr(receiver, "__qualname__", receiver),
                type(outcome).__name__,
            )


def create_submission(page, identity, result: QFResult, children, token: str, **options) -> Submission:
    """Save the dossier atomically; a second call with the same token returns the first dossier."""
    try:
        with transaction.atomic():
            return save_submission(page, identity, result, children, token, **options)
    except IntegrityError:
        existing = first_submission_of(token)
        if existing is None:
            raise
        return existing


def first_submission_of(token: str) -> Submission | None:
    """The same form was already posted (double click, two tabs, a race): that dossier is the one.

    None when there is none, or when the database cannot tell."""
    try:
        return Submission.objects.filter(submission_token=token).first()
    except DatabaseError:
        return None


def _page_commune(page) -> tuple[str, str]:
    return (getattr(page, "commune_cog", "") or "", getattr(page, "commune_name", "") or "")


def identity_fields(identity) -> dict:
    """The dossier's columns of the requester's identity (certified by FranceConnect, or typed)."""
    return {
        "family_name": _fit(identity.family_name),
        "given_names": _fit(identity.given_name),
        "usage_name": _fit(identity.preferred_username),
        "birthdate": identity.birthdate or None,
        "gender": identity.gender,
        "birthplace": identity.birthplace,
        "birthcountry": identity.birthcountry,
    }


def certified_fields(page, result: QFResult, children, bracket: str | None = None) -> dict:
    """The dossier's columns of API Particulier's answer: what the page collects and, of the
    family's children, only ``children`` (ticked by the citizen, or matched to those declared).

    ``bracket``: the tariff bracket the citizen was shown (worked out here if not given). Nothing
    the page does not collect (``collected_data``), whatever API Particulier answered (at the
    counter, it answers with the whole family)."""
    collected = set(page.collected_data())
    qf = result.quotient_familial if "quotient_familial" in collected else None
    return {
        "qf_value": qf.valeur if qf else None,
        "qf_year": qf.annee if qf else None,
        "qf_month": qf.mois if qf else None,
        "qf_provider": qf.fournisseur if qf else "",
        "tariff_bracket": page.bracket_of(result) if bracket is None else bracket,
        "allocataires": [_person(p) for p in result.allocataires or ()]
        if "allocataires" in collected
        else [],
        "children": [_person(p) for p in children] if "enfants" in collected else [],
        "address": (result.adresse.__dict__ if result.adresse else None) if "adresse" in collected else None,
        "raw_response": _transmitted_raw(page, result, children),
    }


def pass_famille_fields(page, tax=None, eaje=None, missing_sources=None) -> dict:
    """The dossier's tax data (DGFiP) and crèche data (EAJE): only the fields the page collects;
    the sources the page asked that did not answer; what its tariff brackets apply to.

    ``tax``: a ``dgfip.types.TaxResult``; ``eaje``: a ``particulier.eaje.EAJEResult``;
    ``missing_sources``: ``{source: error as kept in the session}``."""
    collected = set(page.collected_data())
    tax_data = None
    if tax is not None and collected.intersection(TAX_KEYS):
        values = {field.key: getattr(tax, field.attribute) for field in TAX_FIELDS if field.key in collected}
        if values.get("adresse_fiscale") is not None:
            values["adresse_fiscale"] = asdict(values["adresse_fiscale"])
        tax_data = {"annee_revenus": tax.annee_revenus, "annee_demandee": tax.annee_demandee, **values}
    parameters = eaje.parametres if eaje is not None and EAJE_KEY in collected else None
    asked = set(page.data_sources())
    return {
        "tax_data": tax_data,
        "eaje_data": asdict(parameters) if parameters else None,
        "missing_sources": {key: error for key, error in (missing_sources or {}).items() if key in asked},
        "tariff_basis": getattr(page, "bracket_basis", ""),
    }


def save_submission(
    page,
    identity,
    result: QFResult,
    children,
    token: str,
    bracket: str | None = None,
    commune: tuple[str, str] | None = None,
    external_id: str = "",
    source: str | None = None,
    entered_by=None,
    email: str = "",
    fields: dict | None = None,
    pass_famille: dict | None = None,
) -> Submission:
    """Save the dossier in the caller's transaction; ``IntegrityError`` for a token already used.

    ``bracket`` is the tariff bracket the citizen was shown (worked out here if not given).
    ``commune`` is the citizen's commune of residence as (COG, name): the one chosen on an
    intercommunal page; by default the page's own commune.
    ``external_id`` is the family's identifier in the editor's portal it came from (deep link).
    ``source`` is where the dossier comes from (by default, the identity's: FranceConnect or the
    identity form); ``entered_by`` the agent who typed it at the counter; ``email`` the family's.
    ``fields``: values of the page's own submission class (``page.get_submission_class()``).
    ``pass_famille``: the tax and crèche data obtained (``pass_famille_fields``' arguments).
    """
    commune = commune or _page_commune(page)
    source = source or (
        Source.IDENTITY if getattr(identity, "from_identity_form", False) else Source.FRANCECONNECT
    )
    if source != Source.FRANCECONNECT:  # the tax and crèche data need FranceConnect
        pass_famille = {**(pass_famille or {}), "missing_sources": missing_without_franceconnect(page)}
    submission = page.get_submission_class()(
        **(fields or {}),
        **pass_famille_fields(page, **(pass_famille or {})),
        page=page,
        submission_token=token,
        source=source,
        entered_by=entered_by,
        **_email_fields(email, source, identity),
        # The follow-up page finds it again after a new FranceConnect login: a keyed hash of ``sub``.
        follow_up_key=follow_up_key(getattr(identity, "sub", "")) if source == Source.FRANCECONNECT else "",
        **identity_fields(identity),
        **certified_fields(page, result, children, bracket),
        **_destination(commune, external_id),
    )
    submission.save()
    if source != Source.COUNTER:  # the counter's entry names the agent (``history.record_counter_entry``)
        history.record_transmission(submission)
        statistics.record(page.pk, statistics.TRANSMITTED, source)
    if page.notification_email:
        transaction.on_commit(lambda: notify_new_submission.enqueue(submission.pk))
    transaction.on_commit(lambda: announce(submission, page))
    logger.info("dossier created page=%s", page.pk)
    return submission


def _email_fields(email: str, source: str, identity) -> dict:
    """The family's address and where it comes from: FranceConnect's (certified) when the
    citizen kept it, typed by the citizen, or by the agent at the counter."""
    if not email:
        return {"email": "", "email_origin": ""}
    if source == Source.COUNTER:
        origin = EmailOrigin.AGENT
    elif source == Source.FRANCECONNECT and email == getattr(identity, "email", ""):
        origin = EmailOrigin.FRANCECONNECT
    else:
        origin = EmailOrigin.CITIZEN
    return {"email": email, "email_origin": origin}


def _destination(commune: tuple[str, str], external_id: str) -> dict:
    """The commune the dossier is for (COG, name) and the family's id in an editor's portal."""
    return {
        "commune_cog": commune[0][:5],
        "commune_name": commune[1][:120],
        "external_id": (external_id or "")[:64],
    }


def save_declaration(
    page,
    identity,
    token: str,
    *,
    email: str,
    declared_children=(),
    commune: tuple[str, str] | None = None,
    external_id: str = "",
    fields: dict | None = None,
) -> Submission:
    """Save a dossier of the path without FranceConnect, in the caller's transaction
    (``IntegrityError`` for a token already used).

    Nothing is known of the family yet: ``lookup`` is pending; the caller has the API
    Particulier ``identite`` call made once the dossier is committed (the ``check_identity``
    task, ``journey.lookup``); the citizen is never shown what it finds.
    ``declared_children``: [{"prenoms", "date_naissance"}] as typed by the citizen.
    ``fields``: values of the page's own submission class (``page.get_submission_class()``).
    """
    commune = commune or _page_commune(page)
    submission = page.get_submission_class()(
        **(fields or {}),
        **pass_famille_fields(page, missing_sources=missing_without_franceconnect(page)),
        page=page,
        submission_token=token,
        source=Source.IDENTITY,
        **_email_fields(email, Source.IDENTITY, identity),
        declared_children=[{**child, "matched": False} for child in declared_children]
        if page.collect_children
        else [],
        lookup=Lookup.PENDING,
        **identity_fields(identity),
        **_destination(commune, external_id),
    )
    submission.save()
    # What the family was told would go: the check, later, keeps nothing more (``journey.lookup``).
    history.record_transmission(submission, announced=page.collected_data())
    statistics.record(page.pk, statistics.TRANSMITTED, Source.IDENTITY)
    if page.notification_email:
        transaction.on_commit(lambda: notify_new_submission.enqueue(submission.pk))
    logger.info("dossier declared without franceconnect page=%s", page.pk)
    return submission


@dataclass(frozen=True)
class Transmission:
    """What a citizen sent from a page, checked by the journey and not yet a dossier.

    The page's ``process_transmission`` makes it a dossier with ``save()``. ``result`` is API
    Particulier's answer (after FranceConnect); None on the path without FranceConnect, where
    the family is looked up in the background and ``declared_children`` are those typed."""

    page: Any
    identity: Any
    token: str
    result: QFResult | None = None
    children: Sequence[Person] = ()
    declared_children: Sequence[dict] = ()
    email: str = ""
    bracket: str | None = None
    commune: tuple[str, str] | None = None
    external_id: str = ""
    # Pass Famille: the tax data (``TaxResult``), the crèche data (``EAJEResult``) and the sources
    # not obtained ({source: error}), as the citizen saw them.
    tax: Any = None
    eaje: Any = None
    missing_sources: dict | None = None

    def save(self, **fields) -> Submission:
        """The dossier, saved in the caller's transaction (``IntegrityError`` for a token already
        used); ``fields`` are values of the page's own submission class."""
        destination = {"commune": self.commune, "external_id": self.external_id, "fields": fields}
        if self.result is None:
            return save_declaration(
                self.page,
                self.identity,
                self.token,
                email=self.email,
                declared_children=self.declared_children,
                **destination,
            )
        return save_submission(
            self.page,
            self.identity,
            self.result,
            self.children,
            self.token,
            bracket=self.bracket,
            email=self.email,
            pass_famille={"tax": self.tax, "eaje": self.eaje, "missing_sources": self.missing_sources},
            **destination,
        )
