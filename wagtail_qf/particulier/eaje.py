"""Crèche (EAJE) participation data: API Particulier v3 ``participation_familiale_eaje``.

``GET /v3/dss/participation_familiale_eaje/france_connect?recipient=<SIRET>``
with the citizen's FranceConnect token as Bearer, like the quotient familial
(``ParticulierClient.fetch_eaje_with_franceconnect``). The answer holds the
family (same shapes as the QF answer) and ``parametres_calcul_participation_familiale``:
the children counted, those receiving the AEEH and the annual resources the CAF
or the MSA took into account.

Not documented by the OpenAPI: which FranceConnect scopes this endpoint needs,
and whether keys are left out when a scope is missing. A missing top-level key
is therefore read as "not given" (``None``), as for the QF; a key present with
the wrong shape is a malformed answer.
"""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from .errors import MalformedAnswer, NotFound
from .parsing import _address, _int, _people
from .types import Address, Person

EAJE_PATH = "/v3/dss/participation_familiale_eaje/france_connect"


class NoEAJEFile(NotFound):
    """404 37003 « Dossier allocataire inexistant » on the crèche endpoint."""

    code = "37003"
    next_step = _(
        "Vous pouvez vous adresser à la mairie, qui vous indiquera les justificatifs à fournir "
        "pour calculer votre participation."
    )


@dataclass(frozen=True)
class EAJEParameters:
    """What the CAF or the MSA counts to price a place in a crèche."""

    nombre_enfants_a_charge: int
    nombre_enfants_beneficiaire_aeeh: int
    ressources_annuelles: int  # euros
    annee_calcul: int  # the year the resources were computed


@dataclass(frozen=True)
class EAJEResult:
    parametres: EAJEParameters | None
    allocataires: tuple[Person, ...] | None
    enfants: tuple[Person, ...] | None
    adresse: Address | None
    cached: bool = False
    # The answer's ``data`` (its family part is kept in the dossier, restricted to what was
    # transmitted, like the quotient familial's answer).
    raw: dict | None = None

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "EAJEResult":
        def people(items) -> tuple[Person, ...] | None:
            return None if items is None else tuple(Person(**p) for p in items)

        parametres, address = data.get("parametres"), data.get("adresse")
        return cls(
            parametres=EAJEParameters(**parametres) if parametres else None,
            allocataires=people(data.get("allocataires")),
            enfants=people(data.get("enfants")),
            adresse=Address(**address) if address else None,
            cached=data.get("cached", False),
            raw=data.get("raw"),
        )


def _parameters(data):
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("base_ressources_annuelles"), dict):
        raise MalformedAnswer()
    resources = data["base_ressources_annuelles"]
    return EAJEParameters(
        nombre_enfants_a_charge=_int(data.get("nombre_enfants_a_charge")),
        nombre_enfants_beneficiaire_aeeh=_int(data.get("nombre_enfants_beneficiaire_aeeh")),
        ressources_annuelles=_int(resources.get("valeur")),
        annee_calcul=_int(resources.get("annee_calcul")),
    )


def parse_eaje(body, *, cached=False) -> EAJEResult:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise MalformedAnswer()
    return EAJEResult(
        parametres=_parameters(data.get("parametres_calcul_participation_familiale")),
        allocataires=_people(data.get("allocataires")),
        enfants=_people(data.get("enfants")),
        adresse=_address(data.get("adresse")),
        cached=cached,
        raw=data,
    )
