"""Validators for the commune's identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


# La Poste's SIRETs (SIREN 356000000) do not follow Luhn; their digit sum is a
# multiple of 5 instead.
LA_POSTE_SIREN = "356000000"


def validate_siret(value: str):
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError(_("Le SIRET doit comporter exactement 14 chiffres."), code="format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_is_valid(value)
    if not valid:
        raise ValidationError(
            _("Ce SIRET n'est pas valide (clé de contrôle incorrecte)."), code="checksum"
        )


def validate_cog(value: str):
    """INSEE COG code of a commune: 5 characters, Corsica uses 2A / 2B."""
    if not re.fullmatch(r"(\d{2}|2A|2B)\d{3}", value or ""):
        raise ValidationError(
            _("Le code INSEE (COG) d'une commune comporte 5 caractères, par exemple 35051 ou 2A004."),
            code="format",
        )


def validate_postcode(value: str):
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(_("Le code postal doit comporter 5 chiffres."), code="format")
