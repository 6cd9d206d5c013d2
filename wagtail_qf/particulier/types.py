"""Typed view of an API Particulier v3 quotient familial answer.

A key missing from the answer (its scope was not granted) is ``None``, which is
not the same as an empty list (the family has no child).
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Person:
    nom_naissance: str
    prenoms: str
    date_naissance: str = ""  # YYYY-MM-DD, may be empty
    sexe: str = ""  # "F" | "M"
    nom_usage: str | None = None

    @property
    def display_name(self) -> str:
        name = self.nom_usage or self.nom_naissance
        # API Particulier writes first names in capitals: « Paul Louis DUPONT » reads better.
        return f"{self.prenoms.title()} {name.upper()}".strip()

    @property
    def key(self) -> str:
        """Stable identifier of a person in a family (used by the children checkboxes)."""
        return f"{self.nom_naissance}|{self.prenoms}|{self.date_naissance}"


@dataclass(frozen=True)
class Address:
    destinataire: str = ""
    complement_information: str = ""
    complement_information_geographique: str = ""
    numero_libelle_voie: str = ""
    lieu_dit: str = ""
    code_postal_ville: str = ""
    pays: str = ""

    def lines(self) -> list[str]:
        return [line for line in asdict(self).values() if line]


@dataclass(frozen=True)
class QuotientFamilial:
    fournisseur: str  # "CNAF" | "MSA"
    valeur: int
    annee: int
    mois: int
    annee_calcul: int | None = None
    mois_calcul: int | None = None

    @property
    def provider_label(self) -> str:
        return "MSA" if self.fournisseur == "MSA" else "CAF"


@dataclass(frozen=True)
class QFResult:
    quotient_familial: QuotientFamilial | None
    allocataires: tuple[Person, ...] | None
    enfants: tuple[Person, ...] | None
    adresse: Address | None
    cached: bool = False
    raw: dict | None = None

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "QFResult":
        def people(items) -> tuple[Person, ...] | None:
            return None if items is None else tuple(Person(**p) for p in items)

        qf = data.get("quotient_familial")
        address = data.get("adresse")
        return cls(
            quotient_familial=QuotientFamilial(**qf) if qf else None,
            allocataires=people(data.get("allocataires")),
            enfants=people(data.get("enfants")),
            adresse=Address(**address) if address else None,
            cached=data.get("cached", False),
            raw=data.get("raw"),
        )


@dataclass(frozen=True)
class IdentityQuery:
    """Who to look for in the mode without FranceConnect (``/identite``)."""

    nom_naissance: str
    prenoms: tuple[str, ...]
    sexe: str  # "M" | "F"
    code_pays_naissance: str = "99100"
    annee_naissance: int | None = None
    mois_naissance: int | None = None
    jour_naissance: int | None = None
    code_commune_naissance: str = ""
    nom_usage: str = ""

    def params(self) -> list[tuple[str, str]]:
        params = [("nomNaissance", self.nom_naissance)]
        params += [("prenoms[]", prenom) for prenom in self.prenoms[:3]]
        params += [("sexeEtatCivil", self.sexe), ("codeCogInseePaysNaissance", self.code_pays_naissance)]
        optional = {
            "nomUsage": self.nom_usage,
            "anneeDateNaissance": self.annee_naissance,
            "moisDateNaissance": self.mois_naissance,
            "jourDateNaissance": self.jour_naissance,
            "codeCogInseeCommuneNaissance": self.code_commune_naissance,
        }
        params += [(name, str(value)) for name, value in optional.items() if value]
        return params
