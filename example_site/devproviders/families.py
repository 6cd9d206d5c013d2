"""Test identities of the development providers.

The families are those of API Particulier's staging data (see
``shared/reference/README.md``); the error identities let a person see every
error page of the journey in the demo.
"""

import unicodedata
from dataclasses import dataclass, field


def person(nom, prenoms, date, sexe, nom_usage=None):
    return {
        "nom_naissance": nom,
        "nom_usage": nom_usage,
        "prenoms": prenoms,
        "date_naissance": date,
        "sexe": sexe,
    }


def claims(given, family, birthdate, gender, birthplace="75107", usage=""):
    return {
        "given_name": given,
        "given_name_array": given.split(),
        "family_name": family,
        "birthdate": birthdate,
        "gender": gender,
        "birthplace": birthplace,
        "birthcountry": "99100",
        "preferred_username": usage,
        # The ``email`` claim (issue 18), an address of the reserved example.org domain.
        "email": _email(given, family),
    }


def _email(given, family):
    words = f"{given.split()[0]}.{family}".lower().replace(" ", "-")
    return unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode() + "@example.org"


ADDRESS = {
    "destinataire": "",  # filled per family by ``address``: a string, never null (the reference)
    "complement_information": None,
    "complement_information_geographique": None,
    "numero_libelle_voie": "1 RUE DE LA MAIRIE",
    "lieu_dit": None,
    "code_postal_ville": "35510 CESSON SEVIGNE",
    "pays": "FRANCE",
}


def address(identity) -> dict:
    """The family's address in La Poste's format, its ``destinataire`` as in the reference's example
    (« Monsieur JEAN JACQUES »): civility, first name and name of the first allocataire."""
    first = identity.allocataires[0] if identity.allocataires else None
    if first is None:
        return ADDRESS
    civility = "MADAME" if first["sexe"] == "F" else "MONSIEUR"
    name = first["nom_usage"] or first["nom_naissance"]
    return {**ADDRESS, "destinataire": f"{civility} {first['prenoms'].split()[0]} {name}"}


@dataclass(frozen=True)
class TestIdentity:
    key: str
    label: str
    claims: dict
    allocataires: list = field(default_factory=list)
    enfants: list = field(default_factory=list)
    provider: str = "CNAF"
    qf: int = 0
    # (HTTP status, API Particulier error code[, title when the code has two]) answered instead of
    # the family; the body is API_ERRORS'.
    error: tuple | None = None
    # Other ways to misbehave: "malformed" JSON, "slow" answer.
    behaviour: str = ""


def _children(nom, *items):
    return [person(nom, prenoms, date, sexe) for prenoms, date, sexe in items]


IDENTITIES = [
    TestIdentity(
        "test",
        "Angela DUBOIS — 1 allocataire, pas d'enfant (CAF)",
        claims("Angela Claire Louise", "DUBOIS", "1962-08-24", "female", "75107"),
        allocataires=[person("DUBOIS", "ANGELA CLAIRE LOUISE", "1962-08-24", "F")],
        qf=2550,
    ),
    TestIdentity(
        "sans_nom_dusage",
        "Paul Louis DUPONT — 2 allocataires, 3 enfants (CAF)",
        claims("Paul Louis", "DUPONT", "1980-06-15", "male", "35238"),
        allocataires=[
            person("DUPONT", "PAUL LOUIS", "1980-06-15", "M"),
            person("DUPONT", "MARIE", "1982-02-01", "F", "MARTIN"),
        ],
        enfants=_children(
            "DUPONT", ("JEAN", "2012-03-04", "M"), ("LUCIE", "2014-09-21", "F"), ("LEA", "2018-01-30", "F")
        ),
        qf=1234,
    ),
    TestIdentity(
        "avec_nom_dusage",
        "Pierre MERCIER — nom d'usage, 3 enfants (CAF)",
        claims("Pierre", "MERCIER", "1978-11-02", "male", "35051", usage="MERCIER-ROUX"),
        allocataires=[person("MERCIER", "PIERRE", "1978-11-02", "M", "MERCIER-ROUX")],
        enfants=_children(
            "MERCIER", ("HUGO", "2011-02-14", "M"), ("EMMA", "2013-06-30", "F"), ("NOAH", "2019-12-12", "M")
        ),
        qf=845,
    ),
    TestIdentity(
        "test_FABIEN",
        "Fabien PENDERIE — 5 enfants (CAF)",
        claims("Fabien", "PENDERIE", "1975-03-03", "male", "44109"),
        allocataires=[person("PENDERIE", "FABIEN", "1975-03-03", "M")],
        enfants=_children(
            "PENDERIE",
            ("ALICE", "2008-01-10", "F"),
            ("BASILE", "2010-04-20", "M"),
            ("CLARA", "2012-07-30", "F"),
            ("DAVID", "2015-09-09", "M"),
            ("ELISE", "2020-11-11", "F"),
        ),
        qf=512,
    ),
    TestIdentity(
        "test_ELSA",
        "Elsa PLACARD — 3 enfants (MSA)",
        claims("Elsa", "PLACARD", "1985-04-12", "female", "35288"),
        allocataires=[person("PLACARD", "ELSA", "1985-04-12", "F")],
        enfants=_children(
            "PLACARD", ("TOM", "2010-01-01", "M"), ("ZOE", "2013-05-05", "F"), ("LUC", "2016-07-07", "M")
        ),
        provider="MSA",
        qf=687,
    ),
    TestIdentity(
        "test_CINDY",
        "Cindy COMMODE — 5 enfants (MSA)",
        claims("Cindy", "COMMODE", "1988-09-19", "female", "22278"),
        allocataires=[person("COMMODE", "CINDY", "1988-09-19", "F")],
        enfants=_children(
            "COMMODE",
            ("ANNA", "2009-02-02", "F"),
            ("BEN", "2011-03-03", "M"),
            ("CHLOE", "2014-04-04", "F"),
            ("DIANE", "2017-05-05", "F"),
            ("ETHAN", "2021-06-06", "M"),
        ),
        provider="MSA",
        qf=398,
    ),
    # Every error of the references, one identity each (API_ERRORS below gives their bodies).
    *[
        TestIdentity(key, label, claims(given, family, birthdate, gender), error=error)
        for key, label, given, family, birthdate, gender, error in (
            (
                "inconnu",
                "Erreur 404 23003 : dossier absent de la CAF",
                "Jeanne",
                "INCONNUE",
                "1990-01-01",
                "female",
                (404, "23003"),
            ),
            (
                "inconnu_msa",
                "Erreur 404 10003 : dossier absent de la MSA",
                "Marc",
                "INCONNU",
                "1970-05-05",
                "male",
                (404, "10003"),
            ),
            (
                "non_reference",
                "Erreur 404 35003 : allocataire non référencé (CAF et MSA)",
                "Paule",
                "ABSENTE",
                "1984-02-14",
                "female",
                (404, "35003", "Allocataire non référencé"),
            ),
            (
                "erreur_inattendue",
                "Erreur 404 35003 : erreur inattendue de la CAF ou de la MSA",
                "Gilles",
                "ALEA",
                "1977-03-15",
                "male",
                (404, "35003", "Erreur inattendue"),
            ),
            (
                "indisponible",
                "Erreur 504 37001 : CAF indisponible",
                "Sophie",
                "ATTENTE",
                "1983-03-03",
                "female",
                (504, "37001"),
            ),
            (
                "hors_delai",
                "Erreur 504 37002 : la CAF répond hors délai",
                "Agnès",
                "DELAI",
                "1986-04-16",
                "female",
                (504, "37002"),
            ),
            (
                "erreur_reseau",
                "Erreur 504 00501 : erreur réseau",
                "Bruno",
                "RESEAU",
                "1969-05-17",
                "male",
                (504, "00501"),
            ),
            (
                "erreur_dns",
                "Erreur 504 37004 : erreur de résolution DNS",
                "Denise",
                "ADRESSE",
                "1972-06-18",
                "female",
                (504, "37004"),
            ),
            (
                "fournisseur_sature",
                "Erreur 504 37008 : trop de requêtes chez la CAF",
                "Fabrice",
                "FOULE",
                "1989-07-19",
                "male",
                (504, "37008"),
            ),
            (
                "trop_de_requetes",
                "Erreur 429 00429 : trop de requêtes",
                "Luc",
                "PRESSE",
                "1981-08-08",
                "male",
                (429, "00429"),
            ),
            (
                "erreur_fournisseur",
                "Erreur 502 37999 : erreur inconnue du fournisseur",
                "Nina",
                "PANNE",
                "1992-12-12",
                "female",
                (502, "37999"),
            ),
            (
                "jeton_mal_forme",
                "Erreur 401 50001 : jeton FranceConnect mal formé",
                "Xavier",
                "MALFORME",
                "1964-08-20",
                "male",
                (401, "50001"),
            ),
            (
                "jeton_refuse",
                "Erreur 401 50002 : jeton FranceConnect inconnu ou expiré",
                "Yves",
                "JETON",
                "1966-06-06",
                "male",
                (401, "50002"),
            ),
            (
                "scopes_manquants",
                "Erreur 401 50003 : jeton FranceConnect sans les scopes d'identité",
                "Zoé",
                "PORTEE",
                "1993-09-21",
                "female",
                (401, "50003"),
            ),
            (
                "jeton_api_invalide",
                "Erreur 401 00101 : jeton API Particulier de la commune invalide",
                "Albert",
                "CLEF",
                "1961-10-22",
                "male",
                (401, "00101"),
            ),
            (
                "jeton_api_expire",
                "Erreur 401 00103 : jeton API Particulier de la commune expiré",
                "Brigitte",
                "PERIME",
                "1963-11-23",
                "female",
                (401, "00103"),
            ),
            (
                "jeton_api_liste_noire",
                "Erreur 401 00105 : jeton API Particulier de la commune sur liste noire",
                "Cédric",
                "NOIRE",
                "1965-12-24",
                "male",
                (401, "00105"),
            ),
            (
                "interdit",
                "Erreur 403 00100 : droits insuffisants de la commune",
                "Hervé",
                "DROIT",
                "1974-04-04",
                "male",
                (403, "00100"),
            ),
            (
                "en_cours",
                "Erreur 409 00015 : demande identique déjà en cours",
                "Inès",
                "DOUBLON",
                "1987-07-07",
                "female",
                (409, "00015"),
            ),
            (
                "identite_invalide",
                "Erreur 422 00366 : identité mal formée",
                "Omar",
                "FORMAT",
                "1991-01-21",
                "male",
                (422, "00366"),
            ),
            (
                "recipient_manquant",
                "Erreur 422 00203 : SIRET de la commune manquant",
                "Rémi",
                "SIRET",
                "1967-01-25",
                "male",
                (422, "00203"),
            ),
        )
    ],
    TestIdentity(
        "reponse_illisible",
        "Erreur : réponse illisible (JSON tronqué)",
        claims("Rita", "BROUILLE", "1979-09-09", "female"),
        behaviour="malformed",
    ),
    TestIdentity(
        "lent",
        "Erreur : réponse trop lente (délai dépassé)",
        claims("Léon", "LENTEUR", "1960-10-10", "male"),
        behaviour="slow",
    ),
]

# One identity per error of the development DGFiP gateway (``dgfip.HOUSEHOLDS``): a CAF family,
# so that a page asking for the QF and the tax data shows the partial outcome.
IMPOTS_ERRORS = [
    ("impots_sans_contenu", "Impôts : aucun avis, réponse vide (204)", "Anne", "VIDE"),
    ("impots_plus_de_resultat", "Impôts : plus de résultat (410)", "Bruno", "EFFACE"),
    ("impots_requete_invalide", "Impôts : requête refusée (400)", "Carole", "REQUETE"),
    ("impots_acces_refuse", "Impôts : accès refusé ou connexion expirée (403)", "Denis", "REFUS"),
    ("impots_trop_de_requetes", "Impôts : trop de requêtes (429)", "Emma", "AFFLUENCE"),
    ("impots_erreur_serveur", "Impôts : erreur du serveur (500)", "Fanny", "SERVEUR"),
    ("impots_indisponible", "Impôts : service indisponible (503)", "Gaston", "COUPURE"),
    ("impots_reponse_illisible", "Impôts : réponse illisible", "Hugo", "ILLISIBLE"),
    ("impots_lent", "Impôts : réponse trop lente (délai dépassé)", "Iris", "ATTENTE"),
]
IDENTITIES += [
    TestIdentity(
        key,
        label,
        claims(given, family, f"198{n}-0{n + 1}-1{n}", "male" if n % 2 else "female"),
        allocataires=[person(family, given.upper(), f"198{n}-0{n + 1}-1{n}", "M" if n % 2 else "F")],
        qf=700 + 50 * n,
    )
    for n, (key, label, given, family) in enumerate(IMPOTS_ERRORS)
]

BY_KEY = {identity.key: identity for identity in IDENTITIES}

TOKEN = {"parameter": "token"}
# The error bodies of the references: (title, detail, source, meta) per code, as the examples of
# ``/v3/dss/quotient_familial/france_connect`` in the OpenAPI (502 and 504: its generic examples,
# with the QF's provider). 35003 has two titles, told apart by the identity's error. The
# FranceConnect token's codes 5000x are in the reference's README only (code and meaning): their
# title and detail here are ours.
API_ERRORS = {
    "00100": (
        "Privilèges insuffisants",
        "Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect",
        TOKEN,
        {},
    ),
    "00101": ("Interdit", "Votre token n'est pas valide ou n'est pas renseigné", TOKEN, {}),
    "00103": ("Jeton expiré", "Votre token est expiré. Vous devez refaire une demande", TOKEN, {}),
    "00105": (
        "Jeton sur liste noire",
        "Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal non-sécurisé. "
        "Vous pouvez trouver un jeton valide sur votre espace personnel: https://particulier.api.gouv.fr/compte",
        TOKEN,
        {},
    ),
    "00015": (
        "Conflit",
        "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. "
        "Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.",
        None,
        {},
    ),
    "00203": (
        "Entité non traitable",
        "Le paramètre recipient est obligatoire",
        {"parameter": "recipient"},
        {},
    ),
    "00366": (
        "Entité non traitable",
        "Un ou plusieurs paramètres de civilité ne sont pas correctement formatés",
        None,
        {},
    ),
    "00429": ("Trop de requêtes", "Vous avez effectué trop de requêtes", None, {}),
    "10003": (
        "Dossier allocataire absent MSA",
        "Le dossier allocataire n'a pas été trouvé auprès de la MSA.",
        None,
        {"provider": "MSA"},
    ),
    "23003": (
        "Dossier allocataire absent CNAF",
        "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.",
        None,
        {"provider": "CNAF"},
    ),
    ("35003", "Allocataire non référencé"): (
        "Allocataire non référencé",
        "L'allocataire n'est pas référencé auprès des caisses éligibles",
        None,
        {"provider": "CNAF & MSA"},
    ),
    ("35003", "Erreur inattendue"): (
        "Erreur inattendue",
        "Une erreur inattendue est survenue lors de la collecte des données",
        None,
        {"provider": "CNAF & MSA"},
    ),
    "37999": (
        "Erreur inconnue du fournisseur de données",
        "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. "
        "L'équipe technique a été notifiée de cette erreur pour investigation.",
        None,
        {"provider": "CNAF"},
    ),
    "37001": (
        "Service non disponible",
        "Service du fournisseur de données temporairement indisponible ou en maintenance.",
        None,
        {"provider": "CNAF"},
    ),
    "37002": (
        "Intermédiaire hors-délai",
        "Temps d’attente d’une réponse du fournisseur de données écoulé.",
        None,
        {"provider": "CNAF"},
    ),
    "00501": (
        "Erreur réseau",
        "Problème de connexion au serveur distant. L'erreur peut venir soit du fournisseur, soit de API "
        "Entreprise. Il s'agit souvent d'une erreur temporaire.",
        None,
        {"retry_in": 10},
    ),
    "37004": (
        "Erreur de résolution DNS",
        "Problème de résolution DNS de l'adresse du serveur",
        None,
        {"provider": "CNAF"},
    ),
    "37008": (
        "Erreur auprès du fournisseur de données : trop de requêtes",
        "Erreur de fournisseur de donnée : Trop de requêtes effectuées, veuillez réessayer plus tard.",
        None,
        {"provider": "CNAF"},
    ),
    # The crèche (EAJE) endpoint's « not found » (its OpenAPI example).
    "37003": ("Entité non trouvée", "Dossier allocataire inexistant.", None, {"provider": "CNAV"}),
    "50001": ("Jeton FranceConnect mal formé", "Le jeton FranceConnect est mal formé.", TOKEN, {}),
    "50002": ("Jeton FranceConnect invalide", "Le jeton FranceConnect est inconnu ou expiré.", TOKEN, {}),
    "50003": (
        "Scopes d'identité manquants",
        "Le jeton FranceConnect ne porte pas les scopes d'identité (identite_pivot).",
        TOKEN,
        {},
    ),
}
