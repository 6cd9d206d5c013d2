"""The national QF form's payload (« formulaire-qf »), for communes whose software reads its folders.

The State's form (etalab/formulaire-qf) deposits at HubEE ``FormulaireQF.json``, ``FormulaireQF.xml``
(the same hash through Rails' ``Hash#to_xml``) and a PDF. Read literally from etalab/formulaire-qf at
commit 8d53eeb18b4e28a6ce47658e63b294704395b247:

- ``app/models/shipment_data.rb`` ``to_h``: ``external_id``, ``pivot_identity``, ``quotient_familial_v3``
  and ``quotient_familial`` (the older v2 shape, converted from the v3 data);
- ``app/interactors/setup_current_data.rb``: ``pivot_identity`` is six FranceConnect claims, as
  FranceConnect gives them;
- ``lib/api_particulier/quotient_familial/v2.rb``: ``quotient_familial_v3`` is API Particulier v3's
  ``data`` plus ``"version": "v3"`` (the form asks no ``cnaf_adresse`` scope: no ``adresse``);
- ``app/interactors/prepare_quotient_familial_hubee_folder.rb``: the attachments' file names and MIME
  types. Their HubEE type codes are the process's registrations (settings ``JSON_TYPE``,
  ``XML_TYPE``, ``PDF_TYPE``); the national form declares its process code for all three.

Only what the family transmitted goes in: the v3 data is the dossier's ``raw_response``, API
Particulier's answer restricted to what the page collects and to the children ticked. Where
wagtail-qf differs from the national form (README, « HubEE forwarding »):

- ``pivot_identity`` is null when FranceConnect did not certify the identity (typed without
  FranceConnect, or at the counter): the national form has no such path, and a typed identity
  must not read as FranceConnect's claims;
- ``quotient_familial_v3`` lacks a key the page does not collect, as API Particulier leaves out
  a key whose scope was not granted, and has ``adresse`` when the page collects the address;
- in ``quotient_familial`` (v2) a list the page does not collect is null, and without a quotient
  ``regime``, ``quotientFamilial``, ``annee`` and ``mois`` are null (the national form, which
  always has them, would fail).
"""

import json
from xml.sax.saxutils import escape

from ..conf import qf_settings
from ..formatting import xml_text
from ..models.submissions import Source
from .types import Attachment

NAME = "formulaire-qf"
JSON_NAME, XML_NAME = "FormulaireQF.json", "FormulaireQF.xml"
JSON_MIME, XML_MIME, PDF_MIME = "application/json", "application/xml", "application/pdf"
# HubEE's Attachment.fileName holds at most 255 characters.
MAX_FILE_NAME = 255
# ``setup_current_data.rb``: ``session_raw_info.slice(...)`` keeps the claims in this order.
PIVOT_CLAIMS = ("birthcountry", "birthdate", "birthplace", "family_name", "given_name", "gender")
# API Particulier v3's order (the XML's elements follow it); a key the answer lacks is left out.
V3_KEYS = ("allocataires", "enfants", "adresse", "quotient_familial")
PERSON_KEYS = ("nom_naissance", "nom_usage", "prenoms", "date_naissance", "sexe")
QF_KEYS = ("fournisseur", "valeur", "annee", "mois", "annee_calcul", "mois_calcul")


def _ordered(data: dict, keys) -> dict:
    """``data`` with ``keys`` first, in that order (a JSON field on PostgreSQL reorders them)."""
    return {**{key: data[key] for key in keys if key in data}, **data}


def pivot_identity(submission) -> dict | None:
    """The FranceConnect claims of the national form's ``pivot_identity``; None when the identity
    was not certified by FranceConnect."""
    if submission.source != Source.FRANCECONNECT:
        return None
    claims = {
        "birthcountry": submission.birthcountry,
        "birthdate": str(submission.birthdate) if submission.birthdate else None,  # YYYY-MM-DD
        "birthplace": submission.birthplace,  # "" when born abroad, as FranceConnect says it
        "family_name": submission.family_name,
        "given_name": submission.given_names,
        "gender": submission.gender,
    }
    return {claim: claims[claim] for claim in PIVOT_CLAIMS}


def quotient_familial_v3(submission) -> dict:
    """API Particulier v3's data as transmitted, with ``"version": "v3"`` as the national form adds it."""
    raw = submission.raw_response or {}
    data = {key: raw[key] for key in V3_KEYS if key in raw}
    for key in ("allocataires", "enfants"):
        if data.get(key) is not None:
            data[key] = [_ordered(person, PERSON_KEYS) for person in data[key]]
    if data.get("quotient_familial") is not None:
        data["quotient_familial"] = _ordered(data["quotient_familial"], QF_KEYS)
    return {**data, "version": "v3"}


def _person_v2(person: dict) -> dict:
    """``convert_person_v2_format``: the birth date cut in three strings (null when it has none)."""
    date = person.get("date_naissance") or ""
    return {
        "nomNaissance": person.get("nom_naissance"),
        "nomUsuel": person.get("nom_usage"),
        "prenoms": person.get("prenoms"),
        "anneeDateDeNaissance": date[0:4] or None,
        "moisDateDeNaissance": date[5:7] or None,
        "jourDateDeNaissance": date[8:10] or None,
        "sexe": person.get("sexe"),
    }


def _people_v2(people) -> list | None:
    return None if people is None else [_person_v2(person) for person in people]


def quotient_familial_v2(v3: dict) -> dict:
    """``convert_quotient_familial_v2``: the older shape the communes' software first read."""
    qf = v3.get("quotient_familial") or {}
    return {
        "regime": qf.get("fournisseur"),
        "allocataires": _people_v2(v3.get("allocataires")),
        "enfants": _people_v2(v3.get("enfants")),
        "quotientFamilial": qf.get("valeur"),
        "annee": qf.get("annee"),
        "mois": qf.get("mois"),
        "version": "v2",
    }


def shipment_data(submission) -> dict:
    """``ShipmentData#to_h`` for a dossier."""
    v3 = quotient_familial_v3(submission)
    return {
        "external_id": submission.external_id or None,
        "pivot_identity": pivot_identity(submission),
        "quotient_familial_v3": v3,
        "quotient_familial": quotient_familial_v2(v3),
    }


def to_json(data: dict) -> bytes:
    """As Rails' ``to_json``: compact, UTF-8, with ``<``, ``>``, ``&`` escaped (its default)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.encode()


def _tag(key: str) -> str:
    """ActiveSupport's ``rename_key``: underscores become dashes (``external-id``)."""
    return key.replace("_", "-")


def _element(name: str, value, depth: int) -> list[str]:
    """One element as ActiveSupport's ``XmlMini.to_tag`` writes it with Builder (indent 2)."""
    pad = "  " * depth
    if isinstance(value, dict):
        lines = [f"{pad}<{name}>"]
        for key, item in value.items():
            lines += _element(_tag(key), item, depth + 1)
        return [*lines, f"{pad}</{name}>"]
    if isinstance(value, list):
        if not value:
            return [f'{pad}<{name} type="array"/>']
        child = name[:-1] if name.endswith("s") else name  # "allocataires", "enfants": singularize
        lines = [f'{pad}<{name} type="array">']
        for item in value:
            lines += _element(child, item, depth + 1)
        return [*lines, f"{pad}</{name}>"]
    if value is None:
        return [f'{pad}<{name} nil="true"/>']
    if isinstance(value, bool):
        return [f'{pad}<{name} type="boolean">{str(value).lower()}</{name}>']
    if isinstance(value, int):
        return [f'{pad}<{name} type="integer">{value}</{name}>']
    return [f"{pad}<{name}>{escape(xml_text(str(value)))}</{name}>"]


def to_xml(data: dict) -> bytes:
    """As Rails' ``Hash#to_xml``: root ``<hash>``, dashed names, ``type`` and ``nil`` attributes."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', *_element("hash", data, 0)]
    return ("\n".join(lines) + "\n").encode()


def pdf_name(submission) -> str:
    """``quotient_familial_<NOM>_<Prénoms>.pdf``, spaces as underscores, as the national form names it."""
    name = f"quotient_familial_{submission.family_name}_{submission.given_names}".replace(" ", "_")
    return name[: MAX_FILE_NAME - len(".pdf")] + ".pdf"


def attachments(submission, pdf: bytes) -> list[Attachment]:
    """The folder's three files, with the attachment types the process registered at HubEE."""
    conf = qf_settings.HUBEE
    data = shipment_data(submission)
    return [
        Attachment(JSON_NAME, JSON_MIME, to_json(data), conf["JSON_TYPE"]),
        Attachment(XML_NAME, XML_MIME, to_xml(data), conf["XML_TYPE"]),
        Attachment(pdf_name(submission), PDF_MIME, pdf, conf["PDF_TYPE"]),
    ]
