"""From the DGFiP's JSON to a ``TaxResult``, leniently.

FranceConnect's own DGFiP-like mock sends numbers as strings, and any field may
be missing or null: both are accepted. What cannot be read as the type the
OpenAPI gives (a word for the RFR, a list for the address) is refused.
"""

import math

from .errors import MalformedAnswer
from .types import TaxAddress, TaxResult

PAC_CATEGORIES = ("F", "G", "H", "I", "J", "N", "P", "R")


def _number(value, *, integer):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise MalformedAnswer()
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise MalformedAnswer() from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise MalformedAnswer()
    if integer:
        if value != int(value):
            raise MalformedAnswer()
        return int(value)
    return float(value)


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedAnswer()
    return str(value).strip() or None


def _object(value):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MalformedAnswer()
    return value


def _dependants(pac):
    if pac is None:
        return None, None
    detail = {c: _number(pac.get(f"nbPac{c}"), integer=True) for c in PAC_CATEGORIES}
    detail = {c: n for c, n in detail.items() if n is not None}
    return _number(pac.get("nbPac"), integer=True), detail or None


def _address(aft, detail):
    # The OpenAPI names the last two keys getcommune / getcodePostal; the clients seen
    # in use read commune / codePostal: both are accepted.
    texts = {
        "texte": _text(aft),
        "complement": _text(detail.get("complementAdresse")),
        "voie": _text(detail.get("voie")),
        "commune": _text(detail.get("commune", detail.get("getcommune"))),
        "code_postal_ville": _text(detail.get("codePostal", detail.get("getcodePostal"))),
    }
    if not any(texts.values()):
        return None
    return TaxAddress(**{key: value or "" for key, value in texts.items()})


def parse_situation(body, *, year: int, asked: int) -> TaxResult:
    if not isinstance(body, dict):
        raise MalformedAnswer()
    nb_parts = _number(body.get("nbPart"), integer=False)
    if nb_parts is not None and nb_parts <= 0:
        raise MalformedAnswer()
    dependants, detail = _dependants(_object(body.get("pac")))
    return TaxResult(
        annee_revenus=year,
        annee_demandee=asked,
        rfr=_number(body.get("rfr"), integer=True),
        nb_parts=nb_parts,
        situation_famille=_text(body.get("sitFam")),
        personnes_a_charge=dependants,
        personnes_a_charge_detail=detail,
        adresse=_address(body.get("aft"), _object(body.get("aftDetail")) or {}),
    )
