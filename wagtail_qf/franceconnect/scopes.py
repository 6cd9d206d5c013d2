"""FranceConnect scopes for the data a page collects (the keys of ``collected_data()``)."""

from ..dgfip.types import SCOPES as TAX_SCOPES
from ..sources import EAJE_KEY, TAX_FIELDS

# Identity pivot: API Particulier needs all of these on the token.
IDENTITY_SCOPES = [
    "openid",
    "given_name",
    "family_name",
    "gender",
    "birthdate",
    "birthplace",
    "birthcountry",
    "preferred_username",
]

# The family's e-mail address, asked when the page follows the dossier up by e-mail (issue 18).
FOLLOW_UP_SCOPE = "email"

DATA_SCOPES = {
    "quotient_familial": "cnaf_quotient_familial",
    "allocataires": "cnaf_allocataires",
    "enfants": "cnaf_enfants",
    "adresse": "cnaf_adresse",
    # The crèche endpoint's scopes are not documented (its OpenAPI is silent): API
    # Particulier's staging FranceConnect token for it (etalab/siade_staging_data,
    # payloads/france_connect/cnaf_eaje.yml) carries the cnaf_* scopes, the
    # quotient familial's for the pricing parameters.
    EAJE_KEY: "cnaf_quotient_familial",
    # DGFiP: one scope per field (shared/reference/impot-particulier/README.md).
    **{field.key: TAX_SCOPES[field.attribute] for field in TAX_FIELDS},
}
TAX_KEYS = frozenset(field.key for field in TAX_FIELDS)


def scopes_for(collected: list[str], year_scopes=(), follow_up=False) -> list[str]:
    """Scopes for the keys returned by ``QFTransmissionPage.collected_data()``.

    ``year_scopes``: the DGFiP income-year scopes granted in DataPass, asked with any tax field.
    ``follow_up``: the page writes to the family (``follow_up_by_email``): its ``email`` too."""
    scopes = IDENTITY_SCOPES + ([FOLLOW_UP_SCOPE] if follow_up else [])
    scopes += [DATA_SCOPES[key] for key in collected if key in DATA_SCOPES]
    if TAX_KEYS.intersection(collected):
        scopes += list(year_scopes)
    return list(dict.fromkeys(scopes))
