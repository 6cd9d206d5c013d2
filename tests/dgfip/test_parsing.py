"""Lenient parsing of the DGFiP answer: numbers as strings, missing fields = scope not granted."""

import pytest

from wagtail_qf.dgfip.errors import MalformedAnswer
from wagtail_qf.dgfip.parsing import parse_situation
from wagtail_qf.dgfip.types import TaxAddress, TaxResult

from ..fakes.dgfip import EXAMPLE


def parse(body, year=2025, asked=2025):
    return parse_situation(body, year=year, asked=asked)


def test_the_reference_answer():
    result = parse(EXAMPLE)
    assert result.rfr == 36705 and result.nb_parts == 2.5
    assert result.situation_famille == "M" and result.situation_famille_label == "Marié ou mariée"
    assert result.personnes_a_charge == 1
    assert result.personnes_a_charge_detail == {
        "F": 1,
        "G": 0,
        "H": 0,
        "I": 0,
        "J": 0,
        "N": 0,
        "P": 0,
        "R": 0,
    }
    assert result.adresse.lines() == ["BAT 3 APT 93", "10 RUE DU CENTRE", "93160 NOISY LE GRAND"]
    assert result.annee_revenus == 2025 and not result.fallback


def test_numbers_as_strings_are_read():
    """FranceConnect's own DGFiP-like mock sends every number as a string."""
    result = parse({"rfr": "36705", "nbPart": "2.75", "pac": {"nbPac": "2", "nbPacF": "2"}})
    assert result.rfr == 36705 and result.nb_parts == 2.75
    assert result.personnes_a_charge == 2 and result.personnes_a_charge_detail == {"F": 2}
    assert parse({"nbPart": "1,5"}).nb_parts == 1.5


def test_missing_fields_are_none_not_zero():
    """A field missing (scope not granted or not consented) or null is unknown, not 0."""
    result = parse({})
    assert result == TaxResult(annee_revenus=2025, annee_demandee=2025)
    assert result.situation_famille_label == ""
    result = parse({"rfr": None, "nbPart": "", "pac": {"nbPac": 0}, "aftDetail": {"voie": None}})
    assert result.rfr is None and result.nb_parts is None and result.adresse is None
    assert result.personnes_a_charge == 0 and result.personnes_a_charge_detail is None


def test_address_with_the_openapi_key_names_and_only_the_one_line():
    detail = parse({"aftDetail": {"voie": "1 RUE A", "getcommune": None, "getcodePostal": "35000 RENNES"}})
    assert detail.adresse.lines() == ["1 RUE A", "35000 RENNES"]
    assert parse({"aft": "1 RUE A 35000 RENNES"}).adresse.lines() == ["1 RUE A 35000 RENNES"]


def test_an_unknown_family_situation_is_kept_as_given():
    assert parse({"sitFam": "X"}).situation_famille_label == "X"


def test_fallback_is_told():
    result = parse(EXAMPLE, year=2024, asked=2025)
    assert result.fallback and result.annee_revenus == 2024


def test_session_round_trip():
    result = parse(EXAMPLE)
    assert TaxResult.from_session(result.to_session()) == result
    assert isinstance(TaxResult.from_session(result.to_session()).adresse, TaxAddress)
    assert TaxResult.from_session(parse({}).to_session()) == parse({})


@pytest.mark.parametrize(
    "body",
    [
        [],
        "rfr",
        {"rfr": "trente mille"},
        {"rfr": 1234.5},
        {"rfr": True},
        {"rfr": "1e400"},
        {"nbPart": "0"},
        {"nbPart": -1},
        {"pac": [1]},
        {"pac": {"nbPac": "deux"}},
        {"aftDetail": "1 RUE A"},
        {"aft": {"voie": "1 RUE A"}},
        {"sitFam": ["M"]},
    ],
)
def test_malformed_answers_are_refused(body):
    with pytest.raises(MalformedAnswer):
        parse(body)
