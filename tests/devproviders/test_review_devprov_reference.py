"""The development API Particulier against the reference, not against our own fixtures.

Every shape, title and detail below is copied from /work/shared/reference/
(``api-particulier-v3.openapi.yml``, path ``/v3/dss/quotient_familial/france_connect``, and the
error table of its README).
"""

import datetime

import pytest
from django.test import override_settings

from example_site.devproviders.families import BY_KEY, IDENTITIES
from wagtail_qf.models import Submission

from ..fakes.devproviders import SETTINGS
from .test_devproviders import journey

pytestmark = pytest.mark.django_db

API = "/dev/api-particulier/v3/dss/quotient_familial"
RECIPIENT = "21350051800013"
FAMILIES = ["test", "sans_nom_dusage", "avec_nom_dusage", "test_FABIEN", "test_ELSA", "test_CINDY"]


@pytest.fixture
def dev():
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=SETTINGS):
        yield


# -- the 200 answer: the OpenAPI schema (type, nullable, required, enum) ----------------------
PERSON = {
    "nom_naissance": ("string", False),
    "nom_usage": ("string", True),
    "prenoms": ("string", False),
    "date_naissance": ("string", False),
    "sexe": ("string", False),
}
ADDRESS = {  # every key required; only ``destinataire``, ``code_postal_ville``, ``pays`` not nullable
    "destinataire": ("string", False),
    "complement_information": ("string", True),
    "complement_information_geographique": ("string", True),
    "numero_libelle_voie": ("string", True),
    "lieu_dit": ("string", True),
    "code_postal_ville": ("string", False),
    "pays": ("string", False),
}
QUOTIENT = {name: ("integer", False) for name in ("valeur", "annee", "mois", "annee_calcul", "mois_calcul")}
QUOTIENT["fournisseur"] = ("string", False)
TYPES = {"string": str, "integer": int}


def _check(obj, schema, where):
    assert set(obj) == set(schema), where
    for name, (kind, nullable) in schema.items():
        value = obj[name]
        if value is None:
            assert nullable, f"{where}.{name} is null, the reference says {kind}"
        else:
            assert isinstance(value, TYPES[kind]) and not isinstance(value, bool), f"{where}.{name}"


def _family(client, key, **params):
    from django.core import signing

    from example_site.devproviders import franceconnect

    scopes = "openid given_name family_name birthdate gender birthplace birthcountry "
    scopes += "cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse"
    token = signing.dumps(
        {"identity": key, "scopes": scopes.split(), "client_id": "test-client-id", "sub": "x"},
        salt=franceconnect.ACCESS_SALT,
    )
    query = "&".join(f"{k}={v}" for k, v in {"recipient": RECIPIENT, **params}.items())
    return client.get(f"{API}/france_connect?{query}", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("key", FAMILIES)
def test_every_family_has_the_reference_shape(client, dev, key):
    response = _family(client, key)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "links", "meta"}
    data = body["data"]
    assert set(data) == {"allocataires", "enfants", "adresse", "quotient_familial"}
    assert len(data["allocataires"]) >= 1  # minItems: 1
    for n, person in enumerate(data["allocataires"] + data["enfants"]):
        _check(person, PERSON, f"person {n}")
        assert person["sexe"] in ("F", "M")
        datetime.date.fromisoformat(person["date_naissance"])
    _check(data["adresse"], ADDRESS, "adresse")
    _check(data["quotient_familial"], QUOTIENT, "quotient_familial")
    assert data["quotient_familial"]["fournisseur"] in ("CNAF", "MSA")


def test_the_staging_families_of_the_reference():
    """README's table: identity, allocataires, children, usage name, MSA."""
    expected = {
        "test": ("DUBOIS", "Angela", 1, 0, "CNAF"),
        "sans_nom_dusage": ("DUPONT", "Paul", 2, 3, "CNAF"),
        "avec_nom_dusage": ("MERCIER", "Pierre", None, 3, "CNAF"),
        "test_FABIEN": ("PENDERIE", "Fabien", None, 5, "CNAF"),
        "test_ELSA": ("PLACARD", "Elsa", None, 3, "MSA"),
        "test_CINDY": ("COMMODE", "Cindy", None, 5, "MSA"),
    }
    for key, (family, given, allocataires, children, provider) in expected.items():
        identity = BY_KEY[key]
        assert identity.claims["family_name"] == family and identity.claims["given_name"].startswith(given)
        assert allocataires is None or len(identity.allocataires) == allocataires
        assert len(identity.enfants) == children and identity.provider == provider
    assert BY_KEY["avec_nom_dusage"].claims["preferred_username"]


def test_msa_quotient_is_always_computed_this_month(client, dev):
    """« Pour la MSA, le quotient familial est systématiquement recalculé » : annee_calcul and
    mois_calcul are the current ones, whatever month is asked; the effective month is the one asked."""
    today = datetime.date.today()
    asked = today.replace(day=1) - datetime.timedelta(days=40)
    qf = _family(client, "test_ELSA", annee=asked.year, mois=asked.month).json()["data"]["quotient_familial"]
    assert (qf["annee"], qf["mois"]) == (asked.year, asked.month)
    assert (qf["annee_calcul"], qf["mois_calcul"]) == (today.year, today.month)


def test_the_journey_shows_the_effective_month_not_the_month_of_calculation(
    client, dev, respx_mock, make_qf_page
):
    """An MSA family (calculated this month) on a page retaining a fixed month of the past."""
    today = datetime.date.today()
    fixed = today.month - 1 or 12
    page = make_qf_page(month_rule="fixed", fixed_month=fixed)
    journey(client, page, "test_ELSA", respx_mock)
    html = client.get(page.url + "quotient/").content.decode()
    names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]  # fmt: skip
    assert names[fixed - 1] in html
    assert f"{names[today.month - 1]} {today.year}" not in html


# -- the errors: one identity per error the references document ------------------------------
TOKEN = {"parameter": "token"}
# (status, code, title, detail, source, meta) as the OpenAPI's examples for this endpoint.
OPENAPI_ERRORS = [
    (403, "00100", "Privilèges insuffisants",
     "Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect",
     TOKEN, {}),
    (422, "00366", "Entité non traitable",
     "Un ou plusieurs paramètres de civilité ne sont pas correctement formatés", None, {}),
    (422, "00203", "Entité non traitable", "Le paramètre recipient est obligatoire",
     {"parameter": "recipient"}, {}),
    (404, "10003", "Dossier allocataire absent MSA", "Le dossier allocataire n'a pas été trouvé auprès de la MSA.",
     None, {"provider": "MSA"}),
    (404, "23003", "Dossier allocataire absent CNAF",
     "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.", None, {"provider": "CNAF"}),
    (404, "35003", "Allocataire non référencé",
     "L'allocataire n'est pas référencé auprès des caisses éligibles", None, {"provider": "CNAF & MSA"}),
    (404, "35003", "Erreur inattendue",
     "Une erreur inattendue est survenue lors de la collecte des données", None, {"provider": "CNAF & MSA"}),
    (401, "00101", "Interdit", "Votre token n'est pas valide ou n'est pas renseigné", TOKEN, {}),
    (401, "00103", "Jeton expiré", "Votre token est expiré. Vous devez refaire une demande", TOKEN, {}),
    (401, "00105", "Jeton sur liste noire",
     "Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal non-sécurisé. "
     "Vous pouvez trouver un jeton valide sur votre espace personnel: https://particulier.api.gouv.fr/compte",
     TOKEN, {}),
    (409, "00015", "Conflit",
     "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. "
     "Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.", None, {}),
    (429, "00429", "Trop de requêtes", "Vous avez effectué trop de requêtes", None, {}),
    (502, "37999", "Erreur inconnue du fournisseur de données",
     "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. "
     "L'équipe technique a été notifiée de cette erreur pour investigation.", None, None),
    (504, "37002", "Intermédiaire hors-délai", "Temps d’attente d’une réponse du fournisseur de données écoulé.",
     None, None),
    (504, "37001", "Service non disponible",
     "Service du fournisseur de données temporairement indisponible ou en maintenance.", None, None),
    (504, "00501", "Erreur réseau",
     "Problème de connexion au serveur distant. L'erreur peut venir soit du fournisseur, soit de API "
     "Entreprise. Il s'agit souvent d'une erreur temporaire.", None, {"retry_in": 10}),
    (504, "37004", "Erreur de résolution DNS", "Problème de résolution DNS de l'adresse du serveur", None, None),
    (504, "37008", "Erreur auprès du fournisseur de données : trop de requêtes",
     "Erreur de fournisseur de donnée : Trop de requêtes effectuées, veuillez réessayer plus tard.", None, None),
]  # fmt: skip
# README only (no example in the OpenAPI): the FranceConnect token's errors.
README_ONLY = [(401, "50001"), (401, "50002"), (401, "50003")]


def _error_identity(status, code, title=None):
    found = [
        i
        for i in IDENTITIES
        if i.error and i.error[:2] == (status, code) and (title is None or i.error[2:] in ((), (title,)))
    ]
    assert found, f"no test identity answers {status} {code} {title or ''}"
    return found[0]


@pytest.mark.parametrize("status, code, title, detail, source, meta", OPENAPI_ERRORS)
def test_one_identity_per_documented_error_with_the_reference_body(
    client, dev, status, code, title, detail, source, meta
):
    identity = _error_identity(status, code, title if code == "35003" else None)
    response = _family(client, identity.key)
    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert (error["code"], error["title"], error["detail"], error["source"]) == (code, title, detail, source)
    if meta is not None:
        assert error["meta"] == meta
    else:
        assert set(error["meta"]) == {"provider"}


@pytest.mark.parametrize("status, code", README_ONLY)
def test_one_identity_per_franceconnect_token_error(client, dev, status, code):
    identity = _error_identity(status, code)
    response = _family(client, identity.key)
    assert response.status_code == status and response.json()["errors"][0]["code"] == code


def test_every_error_identity_is_labelled_with_its_status_and_code():
    """A developer reading the identity choice (or the README) knows which error each gives."""
    for identity in IDENTITIES:
        if identity.error:
            status, code = identity.error[:2]
            assert f"{status}" in identity.label and code in identity.label, identity.label


# What the citizen reads, per error (wagtail_qf.particulier.errors).
MESSAGES = {
    "00100": "pas autorisé",
    "00101": "pas autorisé",
    "00103": "pas autorisé",
    "00105": "pas autorisé",
    "00203": "pas autorisé",
    "50001": "Reconnectez-vous",
    "50002": "Reconnectez-vous",
    "50003": "mal configuré",
    "23003": "ne connaissent pas de dossier",
    "10003": "ne connaissent pas de dossier",
    "Allocataire non référencé": "ne connaissent pas de dossier",
    "Erreur inattendue": "erreur inattendue est survenue",
    "00015": "déjà en cours",
    "00366": "identité transmises",
    "00429": "trop de demandes",
    "37999": "momentanément indisponible",
    "37001": "momentanément indisponible",
    "37002": "momentanément indisponible",
    "00501": "momentanément indisponible",
    "37004": "momentanément indisponible",
    "37008": "momentanément indisponible",
}


@pytest.mark.parametrize("key", [i.key for i in IDENTITIES if i.error])
def test_each_error_identity_gives_its_french_message(client, dev, respx_mock, qf_page, key):
    identity = BY_KEY[key]
    code = identity.error[1]
    expected = MESSAGES[identity.error[2] if code == "35003" else code]
    journey(client, qf_page, key, respx_mock)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert expected in html
    assert Submission.objects.count() == 0


def test_the_slow_identity_outlasts_the_clients_time_budget(client, dev, monkeypatch):
    """« lent » answers after longer than the client waits (read timeout and whole-call budget of
    the default settings), so the journey meets a real timeout; its answer is a family's."""
    from example_site.devproviders import particulier
    from wagtail_qf.conf import DEFAULTS

    waits = []
    monkeypatch.setattr(particulier.time, "sleep", waits.append)
    assert _family(client, "lent").status_code == 200
    api = DEFAULTS["API_PARTICULIER"]
    assert waits == [particulier.SLOW_SECONDS]
    assert particulier.SLOW_SECONDS > max(api["READ_TIMEOUT"], api["TOTAL_TIMEOUT"])
