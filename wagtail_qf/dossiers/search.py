"""Finding dossiers by what an agent types: names in any order, a reference however written.

Every typed word must start a word of the dossier's search text (``models.search``): « dupont
paul », « Paul Dupont » and « DUPONT » find DUPONT Paul Louis; « Léa » finds LEA; a child's
first name or a second allocataire's name finds the family. On PostgreSQL a trigram GIN index
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


def reference_of(query: str) -> tuple[str, bool]:
    """(« QF-XXXX-XXXX », whether the QF prefix was typed) if ``query`` can be a whole
    reference, else ("", False)."""
    compact = "".join(words(query)).upper()
    match = _REFERENCE.match(compact)
    if not match:
        return "", False
    return f"QF-{match[2]}-{match[3]}", bool(match[1])


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The dossiers of ``queryset`` that ``query`` designates (all of them for a blank query)."""
    typed = words(query)[:MAX_WORDS]
    if not typed:
        return queryset
    reference, prefixed = reference_of(query)
    if prefixed:  # « QF… »: nothing but a reference
        return queryset.filter(reference=reference)
    condition = Q()
    for word in typed:
        condition &= Q(search_text__contains=f" {word}")
    if reference:  # eight letters and digits: a reference without its prefix, or a name
        condition |= Q(reference=reference)
    return queryset.filter(condition)
