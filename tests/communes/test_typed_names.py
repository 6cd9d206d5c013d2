"""Communes found by the names people type: elided articles without their apostrophe,
diaereses, ligatures, hyphens and « st » (issue 15: « lhay les roses » found nothing)."""

import pytest

from wagtail_qf.communes.search import normalise, search


def first(query):
    found = search(query, limit=3, include_former=True)
    return (found[0].code, found[0].name) if found else None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("lhay les roses", "94038"),  # L'Haÿ-les-Roses
        ("LHAŸ-LES-ROSES", "94038"),
        ("l’haÿ les roses", "94038"),
        ("l hay les r", "94038"),
        ("villeneuve dascq", "59009"),  # Villeneuve-d'Ascq
        ("st jean dangely", "17347"),  # Saint-Jean-d'Angély
        ("lisle sur la sorgue", "84054"),  # L'Isle-sur-la-Sorgue
        ("lile rousse", "2B134"),  # L'Île-Rousse
        ("puy leveque", "46231"),  # Puy-l'Évêque
    ],
)
def test_elided_articles_typed_without_apostrophe(query, code):
    assert first(query)[0] == code


def test_ligatures_and_diaereses():
    assert first("oeuilly")[1] == "Œuilly"
    assert first("haÿ les roses")[0] == "94038"


def test_the_apostrophe_form_still_works():
    assert first("l'haÿ-les-roses") == ("94038", "L'Haÿ-les-Roses")
    assert first("l isle adam")[1] == "L'Isle-Adam"
    assert first("saint jean d angely")[0] == "17347"


def test_a_joined_query_is_an_exact_match():
    """« lhay les roses » is the whole name: it comes first, as « l'hay les roses » does."""
    assert [c.code for c in search("lhay les roses", limit=1)] == ["94038"]


def test_normalise():
    assert normalise("L’Haÿ-les-Roses") == "l hay les roses"
    assert normalise("ŒUILLY") == "oeuilly"
    assert normalise("Sainte-Cécile-d'Andorge") == "sainte cecile d andorge"
