"""The dossier's search text: every name it holds and its reference, folded to plain words.

Kept in ``Submission.search_text`` (written by ``Submission.save``), so that the inbox finds a
dossier by any name in any order, whatever the accents, the case, the hyphens or the spaces
(``dossiers.search``). The same ``words`` fold the agent's query, so both sides agree.
"""

import re
import unicodedata

# Letters NFKD does not split into a base letter and a mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o"})
_WORD = re.compile(r"[a-z0-9]+")
# The names of a person of API Particulier's answer, or of a child typed by the citizen.
_PERSON_KEYS = ("nom_naissance", "nom_usage", "prenoms")


def words(text) -> list[str]:
    """``text`` in lower-case words without accents: « Jean-Éric D'Ŝaô » -> jean eric d sao."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").translate(_LIGATURES))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(plain.lower())


def _forms(text) -> list[str]:
    """The words of a name, and the name written in one word (« jean-pierre » is also
    found as « jeanpierre », a reference typed without its hyphens)."""
    parts = words(text)
    return [*parts, "".join(parts)] if len(parts) > 1 else parts


def _people(value) -> list[str]:
    return [
        person.get(key) or ""
        for person in (value if isinstance(value, list) else ())
        if isinstance(person, dict)
        for key in _PERSON_KEYS
    ]


def search_text(submission) -> str:
    """`` word word …``: each word once, preceded by a space (a typed word is looked up as the
    start of a word). Reads attributes only: the migration uses it on its historical model."""
    reference = submission.reference or ""
    names = [
        reference,
        reference.removeprefix("QF-"),
        submission.family_name,
        submission.usage_name,
        submission.given_names,
        *_people(submission.allocataires),
        *_people(submission.children),
        *_people(submission.declared_children),
    ]
    found = dict.fromkeys(form for name in names for form in _forms(name))
    return "".join(f" {word}" for word in found)


# A save that writes none of these keeps its search text.
SOURCE_FIELDS = frozenset(
    {
        "reference",
        "family_name",
        "usage_name",
        "given_names",
        "allocataires",
        "children",
        "declared_children",
    }
)
