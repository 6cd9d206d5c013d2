"""Review b3: the commune's identifiers typed with other digits than the keyboard's 0-9 (full-width
ones of a Japanese or Chinese input method, Arabic-Indic ones, pasted from a document) or with
spaces, as SIRET numbers are printed, are refused with the value to type; never stored as such
(a SIRET of full-width digits is no SIRET: the national form's link would never find the page)."""

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.validators import check_commune, validate_cog, validate_postcode, validate_siret

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def refusal(validator, value) -> str:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return " ".join(raised.value.messages)


@pytest.mark.parametrize(
    "validator, typed, expected",
    [
        (validate_siret, "35600000000048".translate(FULL_WIDTH), "35600000000048"),
        (validate_siret, "35600000000048".translate(ARABIC_INDIC), "35600000000048"),
        (validate_siret, "356 000 000 00048", "35600000000048"),
        (validate_siret, "356\u00a0000\u00a0000\u00a000048", "35600000000048"),
        (validate_cog, "35051".translate(FULL_WIDTH), "35051"),
        (validate_cog, "2a004", "2A004"),
        (validate_cog, "35 051", "35051"),
        (validate_postcode, "35510".translate(FULL_WIDTH), "35510"),
        (validate_postcode, "35 510", "35510"),
    ],
)
def test_other_digits_or_spaces_are_refused_with_the_value_to_type(validator, typed, expected):
    message = refusal(validator, typed)
    assert f"« {expected} »" in message


def test_the_plain_values_still_pass_and_the_wrong_ones_keep_their_message():
    validate_siret("35600000000048")
    validate_cog("2A004")
    validate_postcode("35510")
    assert "exactement 14 chiffres" in refusal(validate_siret, "3560000000004")
    assert "clé de contrôle" in refusal(validate_siret, "35600000000049")


def test_a_postcode_of_other_digits_is_not_compared_with_the_communes():
    """« ３５５１０ » is refused by the postcode's own validator, not called another commune's."""
    assert check_commune("35051", "35510".translate(FULL_WIDTH)).name == "Cesson-Sévigné"
