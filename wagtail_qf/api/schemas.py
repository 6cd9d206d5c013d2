"""The editors' API as django-ninja schemas: its query parameters, a dossier, a page of dossiers
and an error. Ninja checks every answer against them and writes the OpenAPI document from them
(``docs/api/openapi.json``, kept equal to the served one by ``tests/api/test_openapi.py``).

The schemas' docstrings and descriptions are the document's text: in French, for the communes'
software editors, and not translated (the contract is the same whatever the language of the
request). So are the error messages (``detail``): ``api_view`` answers in French whatever the
request's ``Accept-Language``, as the README and the document say.
"""

import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from ..models.submissions import Provider, Source, SubmissionStatus
from ..sources import BracketBasis

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class BadRequest(HttpError):
    """A wrong query parameter: a 400 whose ``detail`` says which and what is expected.

    An ``HttpError``, not a ``ValueError``: pydantic lets it out of a validator as it is,
    and ninja answers it with its status and message.
    """

    def __init__(self, message: str) -> None:
        super().__init__(400, str(message))


# -- query parameters --------------------------------------------------------------------
def _parse_or_none(parse, value: str):
    try:
        return parse(value)
    except ValueError:  # well formed but impossible, e.g. 2026-13-45
        return None


def parse_since(value: str | None) -> datetime.datetime | None:
    """``since`` as an aware datetime: an ISO 8601 datetime, or a date (its midnight)."""
    if not value:
        return None
    # An unencoded "+01:00" arrives as " 01:00".
    value = value.strip().replace(" ", "+") if "T" in value else value.strip()
    moment = _parse_or_none(parse_datetime, value)
    if moment is None:
        day = _parse_or_none(parse_date, value)
        if day is None:
            raise BadRequest(_since_expected())
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        moment.astimezone(datetime.UTC)  # as the database compares it: 0001-01-01 in Paris is year 0
    except OverflowError:
        raise BadRequest(_since_expected()) from None
    return moment


def _since_expected() -> str:
    return _("Paramètre « since » invalide : date ISO 8601 attendue, par exemple 2026-01-31T08:00:00+01:00.")


def parse_limit(value: str | int | None) -> int:
    """``limit``: an integer from 1 to ``MAX_LIMIT``, ``DEFAULT_LIMIT`` when empty."""
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(
            _("Paramètre « limit » invalide : un entier de 1 à %(max)s est attendu.") % {"max": MAX_LIMIT}
        )
    return limit


class DossierFilters(Schema):
    """Les paramètres de la liste."""

    since: Annotated[
        datetime.datetime | None,
        BeforeValidator(parse_since),
        WithJsonSchema({"type": "string", "format": "date-time"}),
    ] = Field(
        None,
        description=(
            "Les dossiers transmis à partir de cet instant (inclus) : date-heure ISO 8601 "
            "(encoder « + » en %2B), ou date seule (à minuit)."
        ),
        examples=["2026-01-31T08:00:00+01:00"],
    )
    limit: Annotated[int, BeforeValidator(parse_limit)] = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Nombre de dossiers par page."
    )
    cursor: str | None = Field(
        None,
        description=(
            "La valeur `next` de la page précédente (pagination par curseur, stable pendant que "
            "de nouveaux dossiers arrivent ; valable pour le seul jeton qui l'a reçue)."
        ),
    )


# -- answers --------------------------------------------------------------------------------
# Dates travel as the text the domain's serializer wrote (``isoformat``, to the microsecond).
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class PageInfo(Schema):
    """La page de quotient familial de la commune où le dossier a été transmis."""

    id: int
    title: str | None = None
    commune_name: str | None = None
    commune_cog: str | None = Field(None, description="Code officiel géographique (INSEE) de la commune.")


class Commune(Schema):
    """La commune de résidence de la famille (choisie sur une page intercommunale, sinon celle de la page)."""

    cog: str = Field(description="Code officiel géographique (INSEE).")
    name: str


class Requester(Schema):
    """La personne qui a transmis le quotient familial (certifiée par FranceConnect, ou saisie).
    Le sexe et les lieux de naissance permettent de renouveler plus tard le quotient familial
    par le mode « identité » d'API Particulier."""

    family_name: str = Field(description="Nom de naissance.")
    given_names: str = Field(description="Prénoms.")
    usage_name: str = Field(description="Nom d'usage, vide s'il n'y en a pas.")
    birthdate: DateText | None
    gender: str | None = Field(
        description="Sexe, avec les valeurs de FranceConnect : female ou male ; null si le dossier ne l'a pas.",
        examples=["female"],
    )
    birthplace: str | None = Field(
        description=(
            "Code officiel géographique (INSEE) de la commune de naissance ; null pour une personne "
            "née à l'étranger ou si le dossier ne l'a pas."
        ),
        examples=["75107"],
    )
    birthcountry: str | None = Field(
        description="Code officiel géographique (INSEE) du pays de naissance (99100 : France) ; null sinon.",
        examples=["99100"],
    )
    certified: bool = Field(
        description=(
            "true : identité certifiée par FranceConnect ; false : saisie par le demandeur (sans "
            "FranceConnect) ou par un agent au guichet, non certifiée."
        )
    )


class QuotientFamilial(Schema):
    """Le quotient familial certifié, tel que l'a donné API Particulier."""

    value: int | None = Field(description="Montant en euros ; null une fois le dossier anonymisé.")
    year: int | None
    month: int | None
    provider: Provider | None = Field(description="Organisme : CNAF (CAF) ou MSA.")


class Person(Schema):
    """Un allocataire ou un enfant, avec les noms de champs d'API Particulier."""

    model_config = ConfigDict(extra="allow")

    nom_naissance: str | None = None
    nom_usage: str | None = None
    prenoms: str | None = None
    date_naissance: str | None = Field(None, description="AAAA-MM-JJ, éventuellement vide.")
    sexe: str | None = Field(None, description="F ou M, éventuellement vide.")


class Address(Schema):
    """L'adresse postale de la famille, avec les noms de champs d'API Particulier."""

    model_config = ConfigDict(extra="allow")

    destinataire: str | None = None
    complement_information: str | None = None
    complement_information_geographique: str | None = None
    numero_libelle_voie: str | None = None
    lieu_dit: str | None = None
    code_postal_ville: str | None = None
    pays: str | None = None


class Dossier(Schema):
    """Un dossier. Anonymisé (durée de conservation écoulée), il ne contient plus de donnée
    personnelle : `requester`, `address`, `external_id`, `tax_data`, `eaje_data` et `qf.value` sont
    null, les listes vides."""

    reference: str
    status: SubmissionStatus
    submitted_at: DateTimeText
    source: Source
    page: PageInfo
    commune: Commune
    anonymised: bool
    qf: QuotientFamilial
    tariff_bracket: str = Field(description="Tranche tarifaire de la commune, vide sans grille.")
    tariff_basis: BracketBasis = Field(
        description=(
            "Ce à quoi s'appliquent les bornes des tranches : qf (quotient familial) ou "
            "rfr_per_part (revenu fiscal de référence divisé par le nombre de parts)."
        )
    )
    missing_sources: dict[str, str | None] = Field(
        description="Les sources demandées par la page qui n'ont pas répondu : {source : code d'erreur}."
    )
    requester: Requester | None
    allocataires: list[Person]
    children: list[Person] = Field(description="Les enfants cochés par la famille.")
    address: Address | None
    external_id: str | None = Field(description="Identifiant de la famille chez l'éditeur (lien profond).")
    tax_data: dict[str, Any] | None = Field(
        description="Données fiscales (DGFiP), limitées aux champs que la page collecte ; null sinon."
    )
    eaje_data: dict[str, Any] | None = Field(
        description=(
            "Données de participation familiale en crèche (EAJE), si la page les collecte ; null sinon."
        )
    )


class ExchangeEvent(Schema):
    """Un moment de l'échange entre la commune et la famille (jamais les commentaires internes)."""

    date: DateTimeText
    kind: str = Field(
        description=(
            "status (changement de statut), message (message d'un agent à la famille) ou "
            "complement (réponse de la famille, avec ses documents)."
        )
    )
    status: SubmissionStatus | None = Field(None, description="Le nouveau statut (kind = status).")
    message: str | None = Field(None, description="Le texte du message ou de la réponse de la famille.")
    delivery: str | None = Field(
        None, description="Envoi du courriel à la famille (kind = message) : queued, sent ou failed."
    )
    document_names: list[str] | None = Field(None, description="Les documents joints (kind = complement).")


class DocumentInfo(Schema):
    """Un document du dossier : envoyé par la famille, ou joint par un agent."""

    id: int
    name: str
    content_type: str
    size: int = Field(description="En octets.")
    author: str = Field(description="family (la famille) ou agent.")
    visible_to_family: bool
    created_at: DateTimeText
    url: str = Field(description="Adresse du fichier (même jeton).")


class Exchanges(Schema):
    """L'échange d'un dossier : les changements de statut, les messages des agents à la famille et
    les compléments de la famille, du plus ancien au plus récent, et les documents du dossier."""

    reference: str
    events: list[ExchangeEvent]
    documents: list[DocumentInfo]


class DossierList(Schema):
    """Une page de dossiers, du plus ancien au plus récent (`submitted_at`, puis identifiant)."""

    count: int = Field(description="Nombre de dossiers de cette page.")
    next: str | None = Field(description="Curseur de la page suivante ; null sur la dernière page.")
    next_url: str | None = Field(description="Adresse complète de la page suivante.")
    results: list[Dossier]


class Error(Schema):
    """Toute erreur de l'API, expliquée en français."""

    detail: str
