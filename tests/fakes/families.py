"""The DUPONT family as the fakes and API Particulier's answers give it (no Django model here)."""

from wagtail_qf.particulier.types import Address, Person, QFResult, QuotientFamilial

from .franceconnect import DUPONT

# -- the family API Particulier answers with -------------------------------------------
# The citizen of the FranceConnect fake, as the session stores it.
IDENTITY = {"sub": "pairwise-sub-1", **{k: v for k, v in DUPONT.items() if k != "given_name_array"}}

CHILDREN = (
    Person("DUPONT", "Jean", "2012-03-04", "M"),
    Person("DUPONT", "Marie", "2014-09-21", "F"),
    Person("DUPONT", "Léa", "2018-01-30", "F"),
)


def family_result(children=CHILDREN, provider="CNAF", value=1234) -> QFResult:
    """API Particulier's answer for the DUPONT family: two parents, ``children``, QF ``value``."""
    return QFResult(
        quotient_familial=QuotientFamilial(provider, value, 2026, 11, 2026, 10),
        allocataires=(
            Person("DUPONT", "Paul Louis", "1980-06-15", "M"),
            Person("DUPONT", "Marie Claire", "1982-02-01", "F", nom_usage="MARTIN"),
        ),
        enfants=children,
        adresse=Address(
            destinataire="M DUPONT PAUL",
            numero_libelle_voie="1 RUE DE LA PAIX",
            code_postal_ville="35510 CESSON SEVIGNE",
            pays="FRANCE",
        ),
        raw={"quotient_familial": {"valeur": value}, "enfants": [], "adresse": {"pays": "FRANCE"}},
    )
