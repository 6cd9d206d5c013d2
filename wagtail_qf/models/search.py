"""The dossier's search text: every name it holds and its reference, folded to plain words.

Kept in ``Submission.search_text`` (written by ``Submission.save``), so that the inbox finds a
dossier by any name in any order, whatever the accents, the case, the hyphens or the spaces
(``dossiers.search``). The same ``words`` fold the agent's query, so both sides agree.
"""

import re
import unicodedata

# Letters NFKD does not split into a base letter and a mark (after ``casefold``, which already
# turns « ß » and « ẞ » into « ss »), written as French keyboards type them.
_LETTERS = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "đ": "d",  # Vietnamese, Croatian: « Đỗ » is found as « do »
        "ð": "d",
        "ł": "l",  # Polish: « Łukasz » as « lukasz »
        "ı": "i",  # Turkish: « Yıldız » as « yildiz »
        "ħ": "h",
        "ŧ": "t",
        "þ": "th",
        "ĸ": "k",
        "ŋ": "n",
        "ƒ": "f",
    }
)
# A word: letters and digits of any script (« Иванов », « محمد » are names too), no underscore.
_WORD = re.compile(r"[^\W_]+")
# The names of a person of API Particulier's answer, or of a child typed by the citizen.
_PERSON_KEYS = ("nom_naissance", "nom_usage", "prenoms")


def _dropped(char: str) -> bool:
    """A mark (an accent, a vowel sign) or an invisible format character (category Cf)."""
    category = unicodedata.category(char)
    return category[0] == "M" or category == "Cf"


def words(text) -> list[str]:
    """``text`` in lower-case words without accents: « Jean-Éric D'Ŝaô » -> jean eric d sao.

    Invisible format characters (zero-width spaces, soft hyphens, direction marks, pasted with a
    name) are left out without cutting the word; marks are dropped in every script."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold().translate(_LETTERS)
    plain = "".join(char for char in unicodedata.normalize("NFKD", decomposed) if not _dropped(char))
    return _WORD.findall(plain)


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
