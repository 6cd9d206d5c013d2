"""The national QF form's payload (``HUBEE["FORMAT"] = "formulaire-qf"``): its JSON and XML, key for key.

The expected files come from the national form's own spec (``tests/hubee/fixtures``, which name the
source file and commit). Dossiers are made by the real transmission code (``create_submission``)
from API Particulier answers; the deposit goes through the HubEE fake at the transport.
"""

import json
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET
from django.core import checks

from tests.fakes import particulier as api
from tests.fakes.franceconnect import FakeFranceConnect
from tests.fakes.hubee import JSON_TYPE, PDF_TYPE, HubEEFake
from tests.fakes.hubee import SETTINGS as HUBEE
from wagtail_qf.dossiers.creation import create_submission
from wagtail_qf.franceconnect.identity import CitizenIdentity
from wagtail_qf.hubee import formulaire_qf, forwarding
from wagtail_qf.models import HubEEForwarding, HubEEState
from wagtail_qf.models.submissions import Source
from wagtail_qf.particulier.parsing import parse_answer

from .fixtures import formulaire_qf as national

pytestmark = pytest.mark.django_db

XML_TYPE = "DOSSIER_QF_XML"
FORMULAIRE_QF = {**HUBEE, "FORMAT": "formulaire-qf", "XML_TYPE": XML_TYPE}
FIXTURE_XML = Path(__file__).parent / "fixtures" / "FormulaireQF.xml"
SPEC_PDF_NAME = "quotient_familial_TESTMAN_Johnny_Paul_René.pdf"


@pytest.fixture
def dossier(make_qf_page, django_capture_on_commit_callbacks):
    """A dossier transmitted as the journey saves it: ``data`` is API Particulier's ``data``."""
    counter = iter(range(100))

    def make(data=national.API_DATA, children=None, source=None, external_id=national.EXTERNAL_ID, **page):
        n = next(counter)
        qf_page = make_qf_page(slug=f"qf-fqf-{n}", **page)
        result = parse_answer({"data": data})
        identity = CitizenIdentity(sub="s", **national.CLAIMS)
        ticked = result.enfants if children is None else children(result.enfants)
        with django_capture_on_commit_callbacks(execute=True):
            return create_submission(
                qf_page, identity, result, ticked, f"fqf-{n}", external_id=external_id, source=source
            )

    return make


def shape(value):
    """Keys at every level and JSON value types (the items of a list share one shape)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value[:1]]
    return type(value).__name__


def elements(element) -> tuple:
    """An XML element as (tag, attributes, text, children), comments left out."""
    children = tuple(elements(child) for child in element if isinstance(child.tag, str))
    return (element.tag, element.attrib, (element.text or "").strip(), children)


def fixture_xml_without_comment() -> str:
    return re.sub(r"<!--.*?-->\n", "", FIXTURE_XML.read_text(), flags=re.S)


# -- the JSON ----------------------------------------------------------------------------------
def test_the_json_is_the_national_form_s_for_the_family_of_its_spec(dossier):
    data = formulaire_qf.shipment_data(dossier())
    assert data == national.EXPECTED
    # Key for key, in the national form's order too.
    assert json.dumps(data) == json.dumps(national.EXPECTED)
    assert json.loads(formulaire_qf.to_json(data)) == national.EXPECTED


def test_an_msa_family_without_usage_names_has_the_national_form_s_keys_and_nulls(dossier):
    data = formulaire_qf.shipment_data(dossier(national.MSA_DATA))
    expected = shape(national.EXPECTED)
    expected["quotient_familial_v3"]["allocataires"][0]["nom_usage"] = "NoneType"
    expected["quotient_familial_v3"]["enfants"][0]["nom_usage"] = "NoneType"
    expected["quotient_familial"]["allocataires"][0]["nomUsuel"] = "NoneType"
    expected["quotient_familial"]["enfants"][0]["nomUsuel"] = "NoneType"
    assert shape(data) == expected
    assert (
        data["quotient_familial"]["regime"]
        == data["quotient_familial_v3"]["quotient_familial"]["fournisseur"]
    )
    assert (
        data["quotient_familial"]["regime"] == "MSA" and data["quotient_familial"]["quotientFamilial"] == 150
    )
    assert [p["prenoms"] for p in data["quotient_familial"]["allocataires"]] == [
        "JEANNE STEPHANIE",
        "LOIC NATHAN",
    ]


def test_a_family_without_children_has_empty_lists_and_one_allocataire(dossier):
    data = formulaire_qf.shipment_data(dossier(national.WITHOUT_CHILDREN_DATA, external_id=""))
    assert data["quotient_familial_v3"]["enfants"] == [] and data["quotient_familial"]["enfants"] == []
    assert len(data["quotient_familial"]["allocataires"]) == 1
    assert data["external_id"] is None  # no editor's id: null, as the national form leaves it
    expected = shape(national.EXPECTED)
    expected["external_id"] = "NoneType"
    expected["quotient_familial_v3"]["enfants"] = expected["quotient_familial"]["enfants"] = []
    assert shape(data) == expected


def test_json_is_compact_utf8_with_html_characters_escaped_as_rails_does():
    assert formulaire_qf.to_json({"nom": "D'ARC & <Jeanne> é"}) == (
        '{"nom":"D\'ARC \\u0026 \\u003cJeanne\\u003e é"}'.encode()
    )


# -- only what the family transmitted ---------------------------------------------------------
def test_an_unticked_child_and_uncollected_data_are_absent(dossier):
    def first_two(children):
        return children[:2]

    submission = dossier(api.DUPONT["data"], children=first_two, collect_allocataires=False)
    data = formulaire_qf.shipment_data(submission)
    assert [c["prenoms"] for c in data["quotient_familial_v3"]["enfants"]] == ["JEAN", "LUCIE"]
    assert [c["prenoms"] for c in data["quotient_familial"]["enfants"]] == ["JEAN", "LUCIE"]
    # Not collected: left out of the v3 data as API Particulier leaves out an ungranted scope,
    # null in the v2 shape; the address (not collected either) is nowhere.
    assert (
        "allocataires" not in data["quotient_familial_v3"] and "adresse" not in data["quotient_familial_v3"]
    )
    assert data["quotient_familial"]["allocataires"] is None
    for payload in (formulaire_qf.to_json(data), formulaire_qf.to_xml(data)):
        text = payload.decode()
        for value in ("LEA", "2018-01-30", "MARIE", "MARTIN", "RUE DE LA MAIRIE"):
            assert value not in text


def test_through_the_journey_the_deposited_files_hold_only_the_ticked_children(
    client, respx_mock, make_qf_page, hubee, django_capture_on_commit_callbacks
):
    """The citizen ticks 2 of DUPONT's 3 children; the page collects neither allocataires nor address."""
    page = make_qf_page(collect_allocataires=False, forward_to_hubee=True)
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    form = client.get(page.url + "quotient/").context["form"]
    keys = [key for key, _label in form.fields["children"].choices]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            page.url + "quotient/",
            {"form_token": form.initial["form_token"], "children": keys[:2], "confirm": "on"},
        )
    (folder,) = hubee.folders.values()
    files = {a["fileName"]: hubee.contents[a["id"]] for a in folder["attachments"]}
    sent = json.loads(files["FormulaireQF.json"])
    assert [c["prenoms"] for c in sent["quotient_familial"]["enfants"]] == ["JEAN", "LUCIE"]
    assert sent["pivot_identity"]["family_name"] == "DUPONT"
    for name in ("FormulaireQF.json", "FormulaireQF.xml"):
        for value in ("LEA", "2018-01-30", "MARIE", "MARTIN", "RUE DE LA MAIRIE"):
            assert value not in files[name].decode(), (name, value)


def test_a_collected_address_is_in_the_v3_data_as_api_particulier_gives_it(dossier):
    data = formulaire_qf.shipment_data(dossier(api.DUPONT["data"], collect_address=True))
    assert data["quotient_familial_v3"]["adresse"] == api.DUPONT["data"]["adresse"]
    assert list(data["quotient_familial_v3"]) == [
        "allocataires",
        "enfants",
        "adresse",
        "quotient_familial",
        "version",
    ]
    assert set(data["quotient_familial"]) == set(national.EXPECTED["quotient_familial"])


@pytest.mark.parametrize("source", [Source.IDENTITY, Source.COUNTER])
def test_an_identity_not_certified_by_franceconnect_is_no_pivot_identity(dossier, source):
    data = formulaire_qf.shipment_data(dossier(source=source))
    assert data["pivot_identity"] is None
    assert data["quotient_familial_v3"] == national.EXPECTED["quotient_familial_v3"]
    assert '<pivot-identity nil="true"/>' in formulaire_qf.to_xml(data).decode()


# -- the XML ----------------------------------------------------------------------------------
def test_the_xml_is_the_national_form_s_for_the_family_of_its_spec(dossier):
    xml = formulaire_qf.to_xml(formulaire_qf.shipment_data(dossier()))
    assert elements(ET.fromstring(xml)) == elements(ET.parse(FIXTURE_XML).getroot())
    assert xml.decode() == fixture_xml_without_comment()


def test_the_xml_writes_nulls_and_empty_lists_as_rails_does(dossier):
    data = formulaire_qf.shipment_data(dossier(national.MSA_DATA, external_id=""))
    data["quotient_familial_v3"]["enfants"] = data["quotient_familial"]["enfants"] = []
    root = ET.fromstring(formulaire_qf.to_xml(data))
    assert root.find("external-id").attrib == {"nil": "true"}
    assert root.find("quotient-familial-v3/allocataires/allocataire/nom-usage").attrib == {"nil": "true"}
    assert root.find("quotient-familial/allocataires/allocataire/nomUsuel").attrib == {"nil": "true"}
    assert root.find("quotient-familial-v3/enfants").attrib == {"type": "array"}
    assert len(root.find("quotient-familial-v3/enfants")) == 0
    assert root.find("quotient-familial/quotientFamilial").attrib == {"type": "integer"}


def test_xml_text_is_escaped():
    xml = formulaire_qf.to_xml({"external_id": "a<b>&c"})
    assert ET.fromstring(xml).find("external-id").text == "a<b>&c"


# -- the deposit ------------------------------------------------------------------------------
@pytest.fixture
def hubee_settings():
    return FORMULAIRE_QF


@pytest.fixture
def hubee_options():
    return {
        "attachment_types": {JSON_TYPE, XML_TYPE, PDF_TYPE},
        "mime_types": {"application/json", "application/xml", "application/pdf"},
    }


def test_the_deposit_uploads_the_national_form_s_three_files(hubee, dossier):
    submission = dossier(forward_to_hubee=True)
    row = HubEEForwarding.objects.get(submission=submission)
    assert row.state == HubEEState.DEPOSITED
    folder = hubee.folders[row.folder_id]
    declared = [(a["fileName"], a["mimeType"], a["type"]) for a in folder["attachments"]]
    assert declared == [
        ("FormulaireQF.json", "application/json", JSON_TYPE),
        ("FormulaireQF.xml", "application/xml", XML_TYPE),
        (SPEC_PDF_NAME, "application/pdf", PDF_TYPE),
    ]
    files = {a["fileName"]: hubee.contents[a["id"]] for a in folder["attachments"]}
    assert json.loads(files["FormulaireQF.json"]) == national.EXPECTED
    assert files["FormulaireQF.xml"].decode() == fixture_xml_without_comment()
    assert files[SPEC_PDF_NAME].startswith(b"%PDF")


def test_the_default_format_still_deposits_the_dossier_s_own_json(settings, dossier):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": HUBEE}
    fake = HubEEFake()
    with fake.router:
        submission = dossier(forward_to_hubee=True)
    (folder,) = fake.folders.values()
    assert [a["fileName"] for a in folder["attachments"]] == [
        f"{submission.reference}.json",
        f"{submission.reference}.pdf",
    ]


def test_the_pdf_name_fits_hubee_s_255_characters(dossier):
    submission = dossier()
    submission.given_names = "Jean " * 60
    name = formulaire_qf.pdf_name(submission)
    assert (
        len(name) == 255 and name.startswith("quotient_familial_TESTMAN_Jean_Jean") and name.endswith(".pdf")
    )


# -- the settings -----------------------------------------------------------------------------
def test_the_national_format_needs_the_xml_s_attachment_type(settings, hubee, dossier):
    from wagtail_qf.checks import check_settings

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**FORMULAIRE_QF, "XML_TYPE": ""}}
    errors = [e for e in check_settings() if e.id == "wagtail_qf.E007"]
    assert len(errors) == 1 and "XML_TYPE" in errors[0].msg and errors[0].level == checks.ERROR
    assert not forwarding.configured()
    dossier(forward_to_hubee=True)
    assert not HubEEForwarding.objects.exists() and not hubee.folders
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": FORMULAIRE_QF}
    assert not [e for e in check_settings() if e.id in ("wagtail_qf.E007", "wagtail_qf.E008")]


def test_an_unknown_format_stops_the_site(settings):
    from wagtail_qf.checks import check_settings

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**HUBEE, "FORMAT": "formulaire_qf"}}
    errors = [e for e in check_settings() if e.id == "wagtail_qf.E008"]
    assert len(errors) == 1 and "'formulaire_qf'" in errors[0].msg and "formulaire-qf" in errors[0].msg
    assert not forwarding.configured()
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": HUBEE}  # the default: "wagtail-qf"
    assert not [e for e in check_settings() if e.id == "wagtail_qf.E008"] and forwarding.configured()
