"""From API Particulier's JSON to a ``QFResult``; anything off-shape is refused."""

from .errors import MalformedAnswer
from .types import Address, Person, QFResult, QuotientFamilial


def _text(value, *, optional=False):
    if value is None and optional:
        return None
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedAnswer()
    return value


def _int(value, *, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedAnswer()
    return value


def _people(items):
    if items is None:
        return None  # scope not granted
    if not isinstance(items, list) or not all(isinstance(p, dict) for p in items):
        raise MalformedAnswer()
    return tuple(
        Person(
            nom_naissance=_text(p.get("nom_naissance")),
            prenoms=_text(p.get("prenoms")),
            date_naissance=_text(p.get("date_naissance")),
            sexe=_text(p.get("sexe")),
            nom_usage=_text(p.get("nom_usage"), optional=True),
        )
        for p in items
    )


# The largest quotient a dossier stores (``Submission.qf_value``: a positive integer on every database).
MAX_QF = 2_147_483_647


def _in_range(value, low, high):
    """``_int``, refused outside ``low``–``high``: an amount or a month no CAF nor MSA gives."""
    value = _int(value)
    if not low <= value <= high:
        raise MalformedAnswer()
    return value


def _quotient(data):
    if data is None:
        return None
    if not isinstance(data, dict):
        raise MalformedAnswer()
    fournisseur = data.get("fournisseur")
    if fournisseur not in ("CNAF", "MSA"):
        raise MalformedAnswer()
    return QuotientFamilial(
        fournisseur=fournisseur,
        valeur=_in_range(data.get("valeur"), 0, MAX_QF),
        annee=_int(data.get("annee")),
        mois=_in_range(data.get("mois"), 1, 12),
        annee_calcul=_int(data.get("annee_calcul"), optional=True),
        mois_calcul=_int(data.get("mois_calcul"), optional=True),
    )


def _address(data):
    if data is None:
        return None
    if not isinstance(data, dict):
        raise MalformedAnswer()
    fields = Address.__dataclass_fields__
    return Address(**{name: _text(data.get(name)) for name in fields})


def parse_answer(body, *, cached=False) -> QFResult:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise MalformedAnswer()
    return QFResult(
        quotient_familial=_quotient(data.get("quotient_familial")),
        allocataires=_people(data.get("allocataires")),
        enfants=_people(data.get("enfants")),
        adresse=_address(data.get("adresse")),
        cached=cached,
        raw=data,
    )
