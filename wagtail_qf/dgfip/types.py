"""Typed view of a DGFiP ``situations/ir/assiettes`` answer (one income year).

Every field may be missing (its FranceConnect scope was not granted or not
consented) or null: it is then ``None``, which is not the same as 0.
"""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

# FranceConnect scope that brings each field (OpenAPI schema SituationsIRAssiettesJAXBbean).
SCOPES = {
    "rfr": "dgfip_rfr",
    "nb_parts": "dgfip_nbpart",
    "situation_famille": "dgfip_sitfam",
    "personnes_a_charge": "dgfip_pac_nbPac",
    "personnes_a_charge_detail": "dgfip_pac",
    "adresse": "dgfip_aft",
}

# FranceConnect scopes naming the income years the service may ask (at least one is
# granted in DataPass; ``WAGTAIL_QF["DGFIP"]["YEAR_SCOPES"]`` lists those requested).
YEAR_SCOPES = (
    "dgfip_annee_n_moins_1",
    "dgfip_annee_n_moins_2",
    "dgfip_annee_n_moins_3",
    "dgfip_annee_n_moins_2_si_indispo_n_moins_1",
)

FAMILY_SITUATIONS = {
    "M": _("Marié ou mariée"),
    "O": _("Pacsé ou pacsée"),
    "C": _("Célibataire"),
    "D": _("Divorcé ou divorcée"),
    "V": _("Veuf ou veuve"),
}


@dataclass(frozen=True)
class TaxAddress:
    """The tax address at 1 January of the year after the income year."""

    texte: str = ""  # ``aft``: the whole address on one line
    complement: str = ""
    voie: str = ""
    commune: str = ""  # often empty: the town is in ``code_postal_ville``
    code_postal_ville: str = ""  # "93160 NOISY LE GRAND"

    def lines(self) -> list[str]:
        detail = [line for line in (self.complement, self.voie, self.commune, self.code_postal_ville) if line]
        return detail or ([self.texte] if self.texte else [])


@dataclass(frozen=True)
class TaxResult:
    annee_revenus: int  # the income year of the avis (the avis is issued the year after)
    annee_demandee: int  # the year asked first: older when it had no avis yet
    rfr: int | None = None  # revenu fiscal de référence, euros
    nb_parts: float | None = None
    situation_famille: str | None = None  # "M", "O", "C", "D" or "V"
    personnes_a_charge: int | None = None
    # Dependants per category of the tax form ("F", "G", "H", "I", "J", "N", "P", "R").
    personnes_a_charge_detail: dict | None = None
    adresse: TaxAddress | None = None

    @property
    def fallback(self) -> bool:
        """Whether the year asked had no avis and the year before was used."""
        return self.annee_revenus != self.annee_demandee

    @property
    def situation_famille_label(self) -> str:
        if self.situation_famille is None:
            return ""
        return str(FAMILY_SITUATIONS.get(self.situation_famille, self.situation_famille))

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "TaxResult":
        address = data.get("adresse")
        return cls(**{**data, "adresse": TaxAddress(**address) if address else None})
