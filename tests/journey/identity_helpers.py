"""The path without FranceConnect as a citizen sends it, and a family with distinctive values."""

from wagtail_qf.journey.identity import FORM_TOKENS

from ..fakes import particulier as api

IDENTITY = {
    "nom_naissance": "Dupont",
    "prenoms": "Paul  Louis",
    "nom_usage": "",
    "sexe": "M",
    "jour": "15",
    "mois": "6",
    "annee": "1980",
    "lieu": "france",
    "commune_recherche": "Châtillon-en-Diois (26)",
    "commune": "26086",
    "pays": "",
}
SENT = {**IDENTITY, "email": "famille.dupont@example.org", "confirm": "on"}

# A family none of whose values can appear on a page by chance.
ZORGLUB = api.answer(
    allocataires=[
        api.person("ZORGLUBOWSKI", "PAUL LOUIS", "1980-06-15", "M"),
        api.person("ZORGLUBOWSKI", "EUPHRASIE", "1979-11-23", "F", nom_usage="QUIMPERLAY"),
    ],
    enfants=[
        api.person("ZORGLUBOWSKI", "THEODULE", "2013-07-19", "M"),
        api.person("ZORGLUBOWSKI", "HERMENEGILDE", "2016-12-29", "F"),
        api.person("ZORGLUBOWSKI", "PERCEVAL", "2019-10-11", "M"),
    ],
    valeur=4321,
    annee=2031,
    mois=2,
    adresse={
        "destinataire": "MONSIEUR ZORGLUBOWSKI",
        "complement_information": None,
        "complement_information_geographique": None,
        "numero_libelle_voie": "7 IMPASSE DES GLYCINES",
        "lieu_dit": None,
        "code_postal_ville": "35510 CESSON SEVIGNE",
        "pays": "FRANCE",
    },
)
SECRETS = [
    "ZORGLUB",
    "Zorglub",
    "zorglub",
    "EUPHRASIE",
    "Euphrasie",
    "QUIMPERLAY",
    "THEODULE",
    "Théodule",
    "Theodule",
    "HERMENEGILDE",
    "Hermenegilde",
    "PERCEVAL",
    "Perceval",
    "4321",
    "4\xa0321",
    "4 321",
    "GLYCINES",
    "1979",
    "2013",
    "2019",
    "23 novembre",
    "19 juillet",
    "11 octobre",
    "2031",
]


def form_url(page):
    return page.url + "sans-franceconnect/"


def form_token(client, page, address="127.0.0.1"):
    """Open the form (as the citizen does) and read its one-time token from the session."""
    client.get(form_url(page), REMOTE_ADDR=address)
    return client.session[FORM_TOKENS][str(page.pk)]


def send(client, page, token=None, address="127.0.0.1", **changes):
    """Send the form filled with ``SENT`` (``changes``: fields changed, None: left out)."""
    data = {**SENT, "form_token": token or form_token(client, page, address), **changes}
    return client.post(form_url(page), {k: v for k, v in data.items() if v is not None}, REMOTE_ADDR=address)
