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
    "destinataire": None,
    "complement_information": None,
    "complement_information_geographique": None,
    "numero_libelle_voie": "1 RUE DE LA MAIRIE",
    "lieu_dit": None,
    "code_postal_ville": "35510 CESSON SEVIGNE",
    "pays": "FRANCE",
}


@dataclass(frozen=True)
class TestIdentity:
    key: str
    label: str
    claims: dict
    allocataires: list = field(default_factory=list)
    enfants: list = field(default_factory=list)
    provider: str = "CNAF"
    qf: int = 0
    # (HTTP status, API Particulier error code) answered instead of the family.
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
    TestIdentity(
        "inconnu",
        "Erreur : personne inconnue de la CAF (404)",
        claims("Jeanne", "INCONNUE", "1990-01-01", "female"),
        error=(404, "23003"),
    ),
    TestIdentity(
        "inconnu_msa",
        "Erreur : personne inconnue de la MSA (404)",
        claims("Marc", "INCONNU", "1970-05-05", "male"),
        error=(404, "10003"),
    ),
    TestIdentity(
        "indisponible",
        "Erreur : CAF indisponible (504)",
        claims("Sophie", "ATTENTE", "1983-03-03", "female"),
        error=(504, "37001"),
    ),
    TestIdentity(
        "trop_de_requetes",
        "Erreur : trop de requêtes (429)",
        claims("Luc", "PRESSE", "1981-08-08", "male"),
        error=(429, "00429"),
    ),
    TestIdentity(
        "erreur_fournisseur",
        "Erreur : erreur inconnue du fournisseur (502)",
        claims("Nina", "PANNE", "1992-12-12", "female"),
        error=(502, "37999"),
    ),
    TestIdentity(
        "jeton_refuse",
        "Erreur : jeton FranceConnect refusé (401)",
        claims("Yves", "JETON", "1966-06-06", "male"),
        error=(401, "50002"),
    ),
    TestIdentity(
        "interdit",
        "Erreur : droits insuffisants de la commune (403)",
        claims("Hervé", "DROIT", "1974-04-04", "male"),
        error=(403, "00100"),
    ),
    TestIdentity(
        "en_cours",
        "Erreur : demande identique déjà en cours (409)",
        claims("Inès", "DOUBLON", "1987-07-07", "female"),
        error=(409, "00015"),
    ),
    TestIdentity(
        "identite_invalide",
        "Erreur : identité mal formée (422)",
        claims("Omar", "FORMAT", "1991-01-21", "male"),
        error=(422, "00366"),
    ),
    TestIdentity(
        "reponse_illisible",
        "Erreur : réponse illisible",
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
        claims(given, family, f"198{n}-0{n + 1}-1{n}", "female" if n % 2 else "male"),
        allocataires=[person(family, given.upper(), f"198{n}-0{n + 1}-1{n}", "F" if n % 2 else "M")],
        qf=700 + 50 * n,
    )
    for n, (key, label, given, family) in enumerate(IMPOTS_ERRORS)
]

BY_KEY = {identity.key: identity for identity in IDENTITIES}

ERROR_TITLES = {
    "23003": "Dossier allocataire absent CAF",
    "10003": "Dossier allocataire absent MSA",
    "37001": "Fournisseur indisponible",
    "00429": "Trop de requêtes",
    "37999": "Erreur inconnue du fournisseur",
    "50002": "Jeton FranceConnect invalide",
    "00101": "Jeton invalide",
    "00203": "Paramètre recipient manquant",
    "00366": "Paramètres d'identité invalides",
    "00100": "Droits insuffisants",
    "00015": "Requête déjà en cours",
}
