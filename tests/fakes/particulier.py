"""API Particulier v3 answers, faked at the httpx transport with respx."""

import httpx

BASE_URL = "https://particulier.test"
FC_PATH = "/v3/dss/quotient_familial/france_connect"
IDENTITY_PATH = "/v3/dss/quotient_familial/identite"


def person(nom, prenoms, date, sexe, nom_usage=None):
    return {"nom_naissance": nom, "nom_usage": nom_usage, "prenoms": prenoms,
            "date_naissance": date, "sexe": sexe}  # fmt: skip


def answer(*, allocataires, enfants, fournisseur="CNAF", valeur=1234, annee=2026, mois=11,
           adresse=None, drop=()):  # fmt: skip
    data = {
        "allocataires": allocataires,
        "enfants": enfants,
        "adresse": adresse or {
            "destinataire": "Monsieur DUPONT PAUL", "complement_information": None,
            "complement_information_geographique": None,
            "numero_libelle_voie": "1 RUE DE LA MAIRIE", "lieu_dit": None,
            "code_postal_ville": "35510 CESSON SEVIGNE", "pays": "FRANCE",
        },
        "quotient_familial": {"fournisseur": fournisseur, "valeur": valeur, "annee": annee,
                              "mois": mois, "annee_calcul": annee, "mois_calcul": mois},
    }  # fmt: skip
    for key in drop:
        data.pop(key)
    return {"data": data, "links": {}, "meta": {}}


DUPONT = answer(
    allocataires=[person("DUPONT", "PAUL LOUIS", "1980-06-15", "M"),
                  person("DUPONT", "MARIE", "1982-02-01", "F", nom_usage="MARTIN")],
    enfants=[person("DUPONT", "JEAN", "2012-03-04", "M"),
             person("DUPONT", "LUCIE", "2014-09-21", "F"),
             person("DUPONT", "LEA", "2018-01-30", "F")],
)  # fmt: skip
DUBOIS = answer(allocataires=[person("DUBOIS", "ANGELA CLAIRE LOUISE", "1962-08-24", "F")],
                enfants=[], valeur=2550)  # fmt: skip
PLACARD = answer(
    allocataires=[person("PLACARD", "ELSA", "1985-04-12", "F")],
    enfants=[person("PLACARD", "TOM", "2010-01-01", "M"), person("PLACARD", "ZOE", "2013-05-05", "F"),
             person("PLACARD", "LUC", "2016-07-07", "M")],
    fournisseur="MSA", valeur=687,
)  # fmt: skip


def error_body(code, title="Erreur", detail="Détail de l'erreur"):
    return {"errors": [{"code": code, "title": title, "detail": detail, "source": None,
                        "meta": {"provider": "CNAF"}}]}  # fmt: skip


def route(respx_mock, path=FC_PATH):
    return respx_mock.get(f"{BASE_URL}{path}")


def particulier_ok(respx_mock, body=DUPONT, headers=None, path=FC_PATH):
    return route(respx_mock, path).mock(
        return_value=httpx.Response(200, json=body, headers=headers or {})
    )


def particulier_error(respx_mock, status, code, headers=None, path=FC_PATH):
    return route(respx_mock, path).mock(
        return_value=httpx.Response(status, json=error_body(code), headers=headers or {})
    )
