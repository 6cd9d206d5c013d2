"""FranceConnect scopes for the data a page collects."""

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

DATA_SCOPES = {
    "quotient_familial": "cnaf_quotient_familial",
    "allocataires": "cnaf_allocataires",
    "enfants": "cnaf_enfants",
    "adresse": "cnaf_adresse",
}


def scopes_for(collected: list[str]) -> list[str]:
    """Scopes for the keys returned by ``QFTransmissionPage.collected_data()``."""
    return IDENTITY_SCOPES + [DATA_SCOPES[key] for key in collected if key in DATA_SCOPES]
