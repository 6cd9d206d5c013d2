"""The editors' API on django-ninja: its OpenAPI document (served, committed, true to the answers),
and what the API answers around the dossiers (methods, errors, headers) kept from before ninja."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from wagtail_qf.api.schemas import Commune, Dossier, PageInfo, QuotientFamilial, Requester
from wagtail_qf.api.views import openapi_document
from wagtail_qf.dossiers import serializers
from wagtail_qf.dossiers.retention import purge
from wagtail_qf.models import Submission
from wagtail_qf.models.submissions import SubmissionStatus

pytestmark = pytest.mark.django_db

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
API = "/qf/api/v1/"
DOSSIER_FIELDS = set(
    "reference status submitted_at source page commune anonymised qf tariff_bracket tariff_basis "
    "missing_sources requester allocataires children address external_id tax_data eaje_data".split()
)


@pytest.fixture
def document(client):
    response = client.get(API + "openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def schema_of(document, path, status):
    """The schema of the JSON answer ``status`` of ``GET path``."""
    answer = document["paths"][path]["get"]["responses"][str(status)]
    return answer["content"]["application/json"]["schema"]


def closed(document):
    """The document with every object schema closed to undocumented fields (but those that say
    they take more: a person, an address), so that an answer cannot carry a field it does not list."""
    document = copy.deepcopy(document)
    for schema in document["components"]["schemas"].values():
        if schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
    return document


def validator(document, schema) -> Draft202012Validator:
    """A JSON Schema validator of ``schema``, its ``$ref`` resolved in ``document``."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:qf-openapi", resource)
    return Draft202012Validator({"$ref": "urn:qf-openapi" + schema["$ref"]}, registry=registry)


# -- the document ----------------------------------------------------------------------------
def test_the_document_is_served_without_a_token_and_no_docs_page(client, document):
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/qf/api/v1"}]  # paths are relative to where the app is
    assert client.get(API + "docs/").status_code == 404


def test_the_document_lists_the_read_operations_and_their_parameters(document):
    assert set(document["paths"]) == {
        "/dossiers/",
        "/dossiers/{reference}/",
        "/dossiers/{reference}/echanges/",  # the conversation with the family (issue 18)
        "/dossiers/{reference}/documents/{document_id}/",
    }
    assert {method for operations in document["paths"].values() for method in operations} == {"get"}
    listing = {p["name"]: p for p in document["paths"]["/dossiers/"]["get"]["parameters"]}
    assert {name: p["in"] for name, p in listing.items()} == {
        "since": "query",
        "limit": "query",
        "cursor": "query",
    }
    assert not any(p["required"] for p in listing.values())
    assert listing["since"]["schema"]["format"] == "date-time"
    limit = listing["limit"]["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == ("integer", 1, 500, 100)
    (reference,) = document["paths"]["/dossiers/{reference}/"]["get"]["parameters"]
    assert (reference["name"], reference["in"], reference["required"]) == ("reference", "path", True)


def test_every_operation_requires_the_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"EditorTokenAuth": {"type": "http", "scheme": "bearer"}}
    for operations in document["paths"].values():
        assert operations["get"]["security"] == [{"EditorTokenAuth": []}]


def test_the_document_gives_the_schema_of_every_answer(document):
    ref = "#/components/schemas/"
    assert schema_of(document, "/dossiers/", 200) == {"$ref": ref + "DossierList"}
    assert schema_of(document, "/dossiers/{reference}/", 200) == {"$ref": ref + "Dossier"}
    assert schema_of(document, "/dossiers/{reference}/echanges/", 200) == {"$ref": ref + "Exchanges"}
    errors = {
        "/dossiers/": {400, 401, 429},
        "/dossiers/{reference}/": {401, 404, 429},
        "/dossiers/{reference}/echanges/": {401, 404, 429},
        "/dossiers/{reference}/documents/{document_id}/": {401, 404, 429},
    }
    for path, statuses in errors.items():
        assert set(document["paths"][path]["get"]["responses"]) == {"200"} | {str(s) for s in statuses}
        for status in statuses:
            assert schema_of(document, path, status) == {"$ref": ref + "Error"}
    schemas = document["components"]["schemas"]
    assert set(schemas["Dossier"]["properties"]) == set(schemas["Dossier"]["required"]) == DOSSIER_FIELDS
    assert set(schemas["DossierList"]["required"]) == {"count", "next", "next_url", "results"}
    assert schemas["SubmissionStatus"]["enum"] == SubmissionStatus.values
    assert schemas["Error"]["required"] == ["detail"]


def test_the_committed_document_is_the_served_one(document):
    assert COMMITTED.exists(), "docs/api/openapi.json is missing: write it with `make openapi`"
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == document, (
        "The editors' API changed: rewrite docs/api/openapi.json with `make openapi` "
        "and review its diff with the change."
    )
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document()


def test_the_schema_declares_every_field_of_the_domain_dossier(qf_page, make_submission):
    """Ninja drops what a schema does not declare: a field added to the domain's dossier must be
    added to the API's schema too, or it never reaches the editors."""
    dossier = serializers.dossier_of(make_submission(qf_page))
    how = "declare it in wagtail_qf/api/schemas.py, then `make openapi`"
    assert set(dossier) == set(Dossier.model_fields), how
    for key, schema in [
        ("page", PageInfo),
        ("commune", Commune),
        ("requester", Requester),
        ("qf", QuotientFamilial),
    ]:
        assert set(dossier[key]) == set(schema.model_fields), how


# -- answers validate against it -----------------------------------------------------------------
def test_real_answers_validate_against_the_document(
    api, document, qf_page, make_token, make_submission, settings
):
    document = closed(document)
    _, clear = make_token(qf_page)
    settled = timezone.now() - datetime.timedelta(minutes=1)  # listed (``api.views.SETTLING``)
    Submission.objects.filter(pk=make_submission(qf_page, submitted_at=settled).pk).update(
        external_id="FAM-42",
        tariff_bracket="B",
        allocataires=[
            {"nom_naissance": "DUPONT", "prenoms": "PAUL LOUIS", "date_naissance": "1980-06-15", "sexe": "M"}
        ],
        address={
            "numero_libelle_voie": "1 RUE DE LA MAIRIE",
            "code_postal_ville": "35510 CESSON-SEVIGNE",
            "pays": "FRANCE",
        },
    )
    old = make_submission(qf_page, submitted_at=timezone.now() - datetime.timedelta(days=400))
    assert purge() == 1  # an anonymised dossier too
    make_submission(qf_page, source="identity", qf_provider="", submitted_at=settled)

    listing = api("dossiers/", clear, limit="2")
    assert listing.status_code == 200 and listing.json()["next"]
    validator(document, schema_of(document, "/dossiers/", 200)).validate(listing.json())
    last = api("dossiers/", clear, cursor=listing.json()["next"]).json()
    validator(document, schema_of(document, "/dossiers/", 200)).validate(last)
    assert {d["anonymised"] for d in listing.json()["results"] + last["results"]} == {True, False}
    detail = api(f"dossiers/{old.reference}/", clear)
    validator(document, schema_of(document, "/dossiers/{reference}/", 200)).validate(detail.json())

    errors = [
        ("/dossiers/", 400, api("dossiers/", clear, limit="dix")),
        ("/dossiers/", 401, api("dossiers/", "qfe_wrong")),
        ("/dossiers/{reference}/", 404, api("dossiers/QF-NONE/", clear)),
    ]
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"api": (1, 10**9)}}
    _, limited = make_token(qf_page)
    errors.append(("/dossiers/", 429, [api("dossiers/", limited) for _ in range(2)][-1]))
    for path, status, response in errors:
        assert response.status_code == status
        validator(document, schema_of(document, path, status)).validate(response.json())


def test_an_answer_unlike_the_document_would_not_validate(
    api, document, qf_page, make_token, make_submission
):
    """The check above can fail: a field the document does not list, or one missing, is refused."""
    _, clear = make_token(qf_page)
    answer = api(f"dossiers/{make_submission(qf_page).reference}/", clear).json()
    dossier = validator(closed(document), schema_of(document, "/dossiers/{reference}/", 200))
    assert dossier.is_valid(answer)
    assert not dossier.is_valid({**answer, "birthplace": "35238"})
    assert not dossier.is_valid({**answer, "requester": {**answer["requester"], "nationality": "FR"}})
    assert not dossier.is_valid({key: value for key, value in answer.items() if key != "status"})
    assert not dossier.is_valid({**answer, "status": "lost"})


# -- what ninja answers, as the API always did -----------------------------------------------------
def test_other_methods_get_a_french_json_405(client, qf_page, make_token):
    _, clear = make_token(qf_page)
    for method in (client.post, client.put, client.delete):
        response = method(API + "dossiers/", HTTP_AUTHORIZATION=f"Bearer {clear}")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"  # both answered (RFC 9110 §10.2.1)
        assert response.json() == {"detail": "Méthode non autorisée."}
        assert response["Cache-Control"] == "no-store"


def test_head_is_answered_as_get(client, qf_page, make_token):
    _, clear = make_token(qf_page)
    response = client.head(API + "dossiers/", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_errors_keep_their_headers_and_french_messages(api, qf_page, make_token, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"api": (1, 10**9)}}
    _, clear = make_token(qf_page)
    unauthorised = api("dossiers/")
    assert unauthorised["WWW-Authenticate"] == 'Bearer realm="wagtail-qf"'
    # Accented letters as they are, in UTF-8.
    assert "désactivé".encode() in unauthorised.content
    assert api("dossiers/", clear).status_code == 200
    limited = api("dossiers/", clear)
    assert limited.status_code == 429 and limited["Retry-After"].isdigit()
    assert limited.json() == {
        "detail": "Trop de requêtes : réessayez après le délai donné par l'en-tête Retry-After, en secondes."
    }
    for response in (unauthorised, limited):
        assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"


def test_a_bad_parameter_says_which_and_what_is_expected(api, qf_page, make_token):
    _, clear = make_token(qf_page)
    assert api("dossiers/", clear, limit="dix").json() == {
        "detail": "Paramètre « limit » invalide : un entier de 1 à 500 est attendu."
    }
    assert "« since »" in api("dossiers/", clear, since="hier").json()["detail"]
    assert api("dossiers/", clear, cursor="x").json() == {"detail": "Paramètre « cursor » invalide."}
    assert api("dossiers/", clear, limit="").status_code == 200  # empty: the default


def test_dates_keep_their_microseconds(api, qf_page, make_token, make_submission):
    _, clear = make_token(qf_page)
    moment = datetime.datetime(2026, 1, 31, 8, 0, 0, 123456, tzinfo=datetime.UTC)
    dossier = make_submission(qf_page, submitted_at=moment)
    data = api(f"dossiers/{dossier.reference}/", clear).json()
    assert datetime.datetime.fromisoformat(data["submitted_at"]) == moment


def test_the_url_names_stay_in_the_app_namespace():
    assert reverse("wagtail_qf:api_dossiers") == API + "dossiers/"
    assert reverse("wagtail_qf:api_dossier", args=["QF-1"]) == API + "dossiers/QF-1/"
    assert reverse("wagtail_qf:openapi-json") == API + "openapi.json"


@pytest.mark.urls("tests.api.urls_with_another_ninja_api")
def test_another_ninja_api_of_the_site_does_not_meet_ours(client, api, qf_page, make_token):
    _, clear = make_token(qf_page)
    assert api("dossiers/", clear).status_code == 200
    ours = client.get(API + "openapi.json").json()
    assert ours["servers"] == [{"url": "/qf/api/v1"}] and "/dossiers/" in ours["paths"]
    theirs = client.get("/site-api/openapi.json").json()
    assert set(theirs["paths"]) == {"/site-api/ping"}
    assert client.get("/site-api/ping").json() == {"pong": True}


def test_a_refused_authorization_header_is_never_logged_even_in_debug(client, settings, caplog):
    settings.DEBUG = True  # ninja's own bearer parser logs the whole header then
    with caplog.at_level("DEBUG"):
        response = client.get(API + "dossiers/", HTTP_AUTHORIZATION="Basic cm9vdDpzZWNyZXQ=")
    assert response.status_code == 401
    assert "cm9vdDpzZWNyZXQ=" not in caplog.text
