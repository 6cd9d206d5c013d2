"""Finding dossiers by what an agent types: names in any order, a reference however written.

Every typed word must start a word of the dossier's search text (``models.search``): « dupont
paul », « Paul Dupont » and « DUPONT » find DUPONT Paul Louis; « Léa » finds LEA; a child's
first name or a second allocataire's name finds the family. A word of one to three letters followed
by another may also be an elision or a particle of a name written in one word: « N’Diaye » and
« n diaye » find NDIAYE, « le bihan » LEBIHAN. On PostgreSQL a trigram GIN index
serves these ``LIKE '% word%'`` (migration ``0005_search``); elsewhere the same query scans.

A complete reference (« QF-AB12-CD34 », « qfab12cd34 », « qf ab12 cd34 ») is looked up on its
unique index, so a dossier whose names the purge erased is still found by it.
"""

import re

from django.db.models import Q, QuerySet

from ..models.references import ALPHABET
from ..models.search import words

_REFERENCE = re.compile(rf"^(QF)?([{ALPHABET}]{{4}})([{ALPHABET}]{{4}})$")
# More words than a family's names: the rest of an over-long query is not looked for.
MAX_WORDS = 8
# A typed word this short may be an elided letter or a particle of the following name.
PARTICLE = 3


def reference_of(query: str) -> tuple[str, bool]:
    """(« QF-XXXX-XXXX », whether the QF prefix was typed) if ``query`` can be a whole
    reference, else ("", False)."""
    compact = "".join(words(query)).upper()
    match = _REFERENCE.match(compact)
    if not match:
        return "", False
    return f"QF-{match[2]}-{match[3]}", bool(match[1])


def _starts_a_word(word: str) -> Q:
    return Q(search_text__contains=f" {word}")


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The dossiers of ``queryset`` that ``query`` designates (all of them for a blank query,
    none for a query without a letter or a digit: « ??? », an emoji)."""
    if not (query or "").strip():
        return queryset
    typed = words(query)[:MAX_WORDS]
    if not typed:
        return queryset.none()
    reference, prefixed = reference_of(query)
    if prefixed:  # « QF… »: nothing but a reference
        return queryset.filter(reference=reference)
    condition = Q()
    position = 0
    while position < len(typed):
        word = typed[position]
        if len(word) <= PARTICLE and position + 1 < len(typed):
            # An elision or a particle (« N'Diaye », « Le Bihan », « Mc Donald »): also the name
            # written in one word (« NDIAYE », « LEBIHAN », « MCDONALD »).
            following = typed[position + 1]
            condition &= (_starts_a_word(word) & _starts_a_word(following)) | _starts_a_word(word + following)
            position += 2
        else:
            condition &= _starts_a_word(word)
            position += 1
    if reference:  # eight letters and digits: a reference without its prefix, or a name
        condition |= Q(reference=reference)
    return queryset.filter(condition)
