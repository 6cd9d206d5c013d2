"""Issue 21, item 6: the requester's sex and places of birth go wherever the dossier's identity goes
(editors' API, HubEE JSON, CSV and XLSX exports), only when the dossier has them, and a typed
identity is never passed on as a certified one."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wagtail_qf.api import tasks as webhooks
from wagtail_qf.dossiers.serializers import dossier_of

pytestmark = pytest.mark.django_db

CERTIFIED = {"gender": "female", "birthplace": "35238", "birthcountry": "99100"}
# Born abroad: no commune of birth.
TYPED = {"gender": "male", "birthplace": "", "birthcountry": "99134"}


@pytest.fixture
def dossiers(two_communes, make_submission):
    page = two_communes[1]
    return {
        "franceconnect": make_submission(page, family_name="MARTIN", **CERTIFIED),
        "identity": make_submission(page, family_name="GARCIA", without_franceconnect=True, **TYPED),
        "counter": make_submission(page, family_name="LEROY", source="counter", **TYPED),
        "none": make_submission(page, family_name="PETIT"),  # a dossier without them
    }


def test_api_gives_the_identity_fields_and_whether_they_are_certified(
    api, dossiers, make_token, two_communes, settle
):
    _, clear = make_token(two_communes[1])
    requesters = {
        source: api(f"dossiers/{dossier.reference}/", clear).json()["requester"]
        for source, dossier in dossiers.items()
    }
    assert {
        key: requesters["franceconnect"][key] for key in ("gender", "birthplace", "birthcountry")
    } == CERTIFIED
    assert requesters["franceconnect"]["certified"] is True
    for typed in ("identity", "counter"):
        assert requesters[typed]["gender"] == "male" and requesters[typed]["birthcountry"] == "99134"
        assert requesters[typed]["birthplace"] is None  # born abroad
        assert requesters[typed]["certified"] is False  # typed, never passed on as certified
    assert [requesters["none"][key] for key in ("gender", "birthplace", "birthcountry")] == [None] * 3
    settle()
    listed = api("dossiers/", clear).json()["results"]
    assert {row["requester"]["family_name"]: row["requester"]["gender"] for row in listed} == {
        "MARTIN": "female",
        "GARCIA": "male",
        "LEROY": "male",
        "PETIT": None,
    }


def test_anonymised_dossier_passes_on_no_identity(api, qf_page, make_submission, make_token):
    from wagtail_qf.dossiers.retention import purge

    _, clear = make_token(qf_page)
    old = make_submission(qf_page, submitted_at=timezone.now() - datetime.timedelta(days=400), **CERTIFIED)
    assert purge() == 1
    answer = api(f"dossiers/{old.reference}/", clear).json()
    assert answer["anonymised"] is True and answer["requester"] is None
    assert "35238" not in json.dumps(answer) and "female" not in json.dumps(answer)


def test_hubee_json_has_the_identity_fields(dossiers):
    """The JSON deposited in HubEE is the domain's ``dossier_of``: the same requester as the API."""
    requester = dossier_of(dossiers["franceconnect"])["requester"]
    assert requester == {
        "family_name": "MARTIN",
        "given_names": "Paul Louis",
        "usage_name": "",
        "birthdate": "1980-06-15",
        **CERTIFIED,
        "certified": True,
    }
    assert dossier_of(dossiers["identity"])["requester"]["certified"] is False


def test_webhook_leads_to_the_identity_but_carries_none(api, dossiers, make_token, two_communes):
    """The webhook carries no personal data by design (README): its ``url`` gives the dossier,
    identity fields included, to the token's holder."""
    token, clear = make_token(two_communes[1], webhook_url="https://editeur.test/hook")
    dossier = dossiers["franceconnect"]
    body = webhooks.payload(dossier, "event-1")
    assert not {"female", "35238", "MARTIN"} & {str(value) for value in body.values()}
    path = body["url"].split("/qf/api/v1/", 1)[1]
    requester = api(path, clear).json()["requester"]
    assert (requester["gender"], requester["birthplace"], requester["certified"]) == ("female", "35238", True)


def _export(client, spreadsheet_format):
    response = client.get(reverse("wagtail_qf_submissions:index") + f"?export={spreadsheet_format}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


EXPECTED = {
    "MARTIN": ("Femme", "35238", "99100", "certifiée par FranceConnect"),
    "GARCIA": ("Homme", "", "99134", "saisie par le demandeur, non certifiée"),
    "LEROY": ("Homme", "", "99134", "saisie par l'agent au guichet, non certifiée"),
    "PETIT": ("", "", "", "certifiée par FranceConnect"),
}
COLUMNS = ("Sexe", "Commune de naissance (COG)", "Pays de naissance (COG)", "Identité")


def test_csv_and_xlsx_exports_have_the_identity_columns(client, make_agent, two_communes, dossiers):
    client.force_login(make_agent("sandrine", two_communes[0]))
    text = _export(client, "csv").decode().removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Nom de naissance"]: tuple(row[c] for c in COLUMNS) for row in rows} == EXPECTED

    heading, *cells = load_workbook(io.BytesIO(_export(client, "xlsx")))["Dossiers"].values
    sheet = [dict(zip(heading, row, strict=True)) for row in cells]
    assert {row["Nom de naissance"]: tuple(row[c] or "" for c in COLUMNS) for row in sheet} == EXPECTED
