"""Validators for the commune's identifiers."""

import re
import unicodedata
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .communes.search import Commune


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


# La Poste's establishments (SIREN 356000000) do not follow Luhn; their digit sum is a
# multiple of 5 instead. Its head office keeps the Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


SIRET = re.compile(r"[0-9]{14}")
COG = re.compile(r"([0-9]{2}|2A|2B)[0-9]{3}")
POSTCODE = re.compile(r"[0-9]{5}")


def _as_typed(value: str, pattern: re.Pattern) -> None:
    """Refuse ``value`` when it is ``pattern`` written with other digits than the keyboard's
    (full-width, Arabic-Indic…), spaces or small letters: saying the value to type. Such a value
    must not be stored: nothing would find it (a SIRET of the national form's link, a COG)."""
    plain = "".join(
        str(unicodedata.digit(char)) if char.isdigit() else char
        for char in unicodedata.normalize("NFKC", value or "")
        if not char.isspace()
    ).upper()
    if plain != value and pattern.fullmatch(plain):
        raise ValidationError(
            _("Écrivez-le ainsi, avec les chiffres 0 à 9 du clavier et sans espace : « %(value)s »."),
            code="typed_as",
            params={"value": plain},
        )


def validate_siret(value: str) -> None:
    if not SIRET.fullmatch(value or ""):
        _as_typed(value, SIRET)
        raise ValidationError(_("Le SIRET doit comporter exactement 14 chiffres."), code="format")
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_is_valid(value)
    if not valid:
        raise ValidationError(_("Ce SIRET n'est pas valide (clé de contrôle incorrecte)."), code="checksum")


def validate_cog(value: str) -> None:
    """INSEE COG code of a commune: 5 characters, Corsica uses 2A / 2B."""
    if not COG.fullmatch(value or ""):
        _as_typed(value, COG)
        raise ValidationError(
            _("Le code INSEE (COG) d'une commune comporte 5 caractères, par exemple 35051 ou 2A004."),
            code="format",
        )


def validate_postcode(value: str) -> None:
    if not POSTCODE.fullmatch(value or ""):
        _as_typed(value, POSTCODE)
        raise ValidationError(_("Le code postal doit comporter 5 chiffres."), code="format")


def check_commune(cog: str, postcode: str = "", *, cog_field="cog", postcode_field="postcode") -> "Commune":
    """The current commune of code ``cog`` in the shipped reference data (``wagtail_qf/communes``).

    Raise a ValidationError on ``cog_field`` when the code is no current commune (a postcode
    typed as INSEE code, a former commune), on ``postcode_field`` when ``postcode`` (if given,
    and of the right format) is not one of the commune's."""
    from .communes import search as communes

    commune = communes.get(cog)
    if commune is None or commune.is_former or not commune.name:
        raise ValidationError({cog_field: _unknown_cog_message(cog, commune)}, code="unknown_commune")
    if POSTCODE.fullmatch(postcode or "") and commune.postcodes and postcode not in commune.postcodes:
        message = ngettext(
            "Le code postal %(postcode)s ne correspond pas à ce code INSEE : %(name)s a pour code "
            "postal %(postcodes)s. Corrigez-le, ou laissez le champ vide pour le code postal principal.",
            "Le code postal %(postcode)s ne correspond pas à ce code INSEE : %(name)s a pour codes "
            "postaux %(postcodes)s. Corrigez-le, ou laissez le champ vide pour le code postal principal.",
            len(commune.postcodes),
        ) % {"postcode": postcode, "name": commune.name, "postcodes": ", ".join(commune.postcodes)}
        raise ValidationError({postcode_field: message}, code="postcode_of_another_commune")
    return commune


def _unknown_cog_message(cog, entry):
    """Why ``cog`` is no current commune (``entry``: its former commune, if any), and what to type."""
    from .communes import search as communes

    same_postcode = [c for c in communes.search(cog, limit=5) if cog in c.postcodes]
    if same_postcode:
        return ngettext(
            "%(cog)s est un code postal, pas un code INSEE (COG). Code INSEE correspondant : %(communes)s.",
            "%(cog)s est un code postal, pas un code INSEE (COG). Codes INSEE correspondants : %(communes)s.",
            len(same_postcode),
        ) % {"cog": cog, "communes": " ; ".join(f"{c.name}, {c.code}" for c in same_postcode)}
    current = communes.get(entry.current_code) if entry is not None and entry.is_former else None
    if current is not None and current.name and not current.is_former:
        return _(
            "%(cog)s est le code INSEE d'une ancienne commune (%(former)s). Code INSEE actuel : "
            "%(name)s, %(current)s."
        ) % {"cog": cog, "former": entry.name or cog, "name": current.name, "current": current.code}
    return _(
        "Le code INSEE (COG) %(cog)s ne correspond à aucune commune actuelle. Vérifiez-le dans le "
        "Code officiel géographique de l'Insee (insee.fr)."
    ) % {"cog": cog}
