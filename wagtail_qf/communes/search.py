"""Commune search over the shipped ``communes.tsv.gz``, loaded once and kept in memory.

Names are normalised once (no accents, lower case, hyphens and apostrophes as spaces) and
joined in a single string, one `` word word`` line per entry: a query becomes one regular
expression run over that string, so a search over ~40k names stays at C speed.

People often type an elided article without its apostrophe (« lhay les roses » for
L'Haÿ-les-Roses, « villeneuve dascq »): a query word such as ``lhay`` also matches ``l hay``.
"""

import gzip
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

from .build import DEFAULT_PATH, KIND_ORDER

FORMER_KINDS = frozenset({"deleguee", "associee", "ancienne"})
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
# A typed word that is a postcode or a COG, or the start of one.
NUMBER = re.compile(r"^\d(?:[0-9ab]\d*)?$")
# L', D' before a vowel or h: « l hay » is also typed « lhay ».
_ELISION = re.compile(r"\b([ld]) (?=[aeiouyh])")
_ELIDED = re.compile(r"^([ld])([aeiouyh].*)$")


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    postcodes: tuple
    departement: str
    kind: str
    current_code: str  # the commune's own code when it is current
    population: int = 0

    @property
    def is_former(self) -> bool:
        return self.kind in FORMER_KINDS

    @property
    def label(self) -> str:
        name = self.name or self.code
        return f"{name} ({self.postcodes[0] if self.postcodes else self.departement})"


def normalise(text: str) -> str:
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_SEPARATORS.split(text)).strip()


def query_words(text: str) -> list[str]:
    """The normalised words of a query, elided articles joined to their word (``l hay`` → ``lhay``)."""
    return _ELISION.sub(r"\1", normalise(text)).split()


def _word_pattern(word):
    forms = [re.escape(word)]
    if word in ABBREVIATIONS:
        forms.append(ABBREVIATIONS[word])
    elided = _ELIDED.match(word)
    if elided:
        forms.append(f"{elided[1]} {re.escape(elided[2])}")
    return " " + (forms[0] if len(forms) == 1 else f"(?:{'|'.join(forms)})")


def words_pattern(words) -> re.Pattern:
    """A regular expression finding the lines (`` name``) that have each word as a word prefix, in order."""
    # Consuming the rest of the line gives at most one match per entry.
    return re.compile(r"[^\n]*?".join(_word_pattern(w) for w in words) + r"[^\n]*")


class Index:
    """Entries sorted once by rank, so a search stops at its first `limit` matches.

    Rank: current entries (communes, arrondissements) before former ones, then larger
    population, then shorter names. Exact name matches are put first at search time.
    """

    def __init__(self, communes):
        self.communes = sorted(
            communes, key=lambda c: (c.is_former, -c.population, KIND_ORDER[c.kind], len(c.name), c.name)
        )
        self.by_code, rows_by_code = {}, {}
        self.by_name = {}
        self.names = [normalise(c.name) for c in self.communes]
        for i, c in enumerate(self.communes):
            rows_by_code.setdefault(c.code, []).append(i)
            if c.name:
                self.by_name.setdefault(" ".join(query_words(self.names[i])), []).append(i)
        self.rows_by_code = rows_by_code
        for code, rows in rows_by_code.items():
            self.by_code[code] = min((self.communes[i] for i in rows), key=lambda c: KIND_ORDER[c.kind])
        self.current_count = sum(1 for c in self.communes if not c.is_former)
        # A commune nouvelle's delegated and former communes (their names live on in addresses).
        self.former_by_current = {}
        for c in self.communes:
            if c.is_former and c.name:
                self.former_by_current.setdefault(c.current_code, []).append(c.name)
        self.blob = "".join(f" {n}\n" for n in self.names)
        self.starts, offset = [], 0
        for n in self.names:
            self.starts.append(offset)
            offset += len(n) + 2
        self.current_end = self.starts[self.current_count] if self.current_count < len(self.names) else offset
        # Former communes have no postcode of their own: they are found by their commune's.
        pairs = []
        for i, c in enumerate(self.communes):
            if c.name:
                current = self.by_code.get(c.current_code) if c.is_former else c
                pairs += [(p, i) for p in (current.postcodes if current else ())]
        pairs.sort()
        self.postcodes = [p for p, _ in pairs]
        self.postcode_rows = [i for _, i in pairs]

    def _by_number(self, number):
        lo = bisect_left(self.postcodes, number)
        hi = bisect_left(self.postcodes, number + "\uffff")
        return set(self.postcode_rows[lo:hi]) | set(self.rows_by_code.get(number.upper(), ()))

    def _by_name(self, pattern, end):
        """Rows whose name has each word as a word prefix, in order, in rank order."""
        for m in pattern.finditer(self.blob, 0, end):
            yield bisect_right(self.starts, m.start()) - 1

    def search(self, query, limit=10, include_former=False) -> list[Commune]:
        words = query_words(query)
        if not words or limit <= 0:
            return []
        found = self._search(words, limit, include_former)
        if not found and len(words) > 1 and NUMBER.match(words[-1]) and not NUMBER.match(words[0]):
            # « saint denis 974 »: a department or postcode typed after the name, which no name has.
            found = self._search([words[-1], *words[:-1]], limit, include_former)
        return found

    def _search(self, words, limit, include_former) -> list[Commune]:
        """Entries matching ``words``; a first word that is a number is a postcode or code (prefix)."""
        words = list(words)
        end = len(self.blob) if include_former else self.current_end
        last = len(self.communes) if include_former else self.current_count
        allowed = self._by_number(words.pop(0)) if NUMBER.match(words[0]) else None
        rows = sorted(i for i in allowed if i < last) if allowed is not None else None
        if words:
            wanted = " ".join(ABBREVIATIONS.get(w, w) for w in words)
            exact = [i for i in self.by_name.get(wanted, ()) if i < last]
            pattern = words_pattern(words)
            if rows is None:
                candidates = chain(exact, self._by_name(pattern, end))
            else:  # few rows: test them one by one rather than scanning all names
                exact = [i for i in exact if i in allowed]
                candidates = chain(exact, (i for i in rows if pattern.search(f" {self.names[i]}")))
        else:
            candidates = iter(rows)
        found = []
        for i in candidates:
            if i not in found:
                found.append(i)
                if len(found) == limit:
                    break
        return [self.communes[i] for i in found]


def read(path) -> list[Commune]:
    communes = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            code, name, postcodes, dep, kind, current, population = line.rstrip("\n").split("\t")
            communes.append(
                Commune(
                    code,
                    name,
                    tuple(postcodes.split(",")) if postcodes else (),
                    dep,
                    kind,
                    current or code,
                    int(population or 0),
                )
            )
    return communes


def load(path=DEFAULT_PATH) -> Index:
    return _load(Path(path).resolve())


@lru_cache(maxsize=4)
def _load(path):
    return Index(read(path))


def reset() -> None:
    """Forget the loaded data (after the file was refreshed)."""
    _load.cache_clear()


def search(query, limit=10, include_former=False, path=DEFAULT_PATH) -> list[Commune]:
    return load(path).search(query, limit=limit, include_former=include_former)


def get(code, path=DEFAULT_PATH) -> Commune | None:
    return load(path).by_code.get((code or "").strip().upper())


def former_names(code, path=DEFAULT_PATH) -> tuple[str, ...]:
    """The names of the delegated, associated or former communes now part of commune ``code``
    (Maure-de-Bretagne and Campel for Val d'Anast), sorted, without the commune's own name."""
    index = load(path)
    code = (code or "").strip().upper()
    current = index.by_code.get(code)
    own = current.name if current is not None and not current.is_former else ""
    return tuple(sorted({n for n in index.former_by_current.get(code, ()) if n != own}))
