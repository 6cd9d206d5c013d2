"""A dossier holds, and every output shows, only what the citizen transmitted.

Built through the real transmission (FranceConnect and API Particulier faked at
the transport): the family has 3 children, the citizen ticks 2; the page
collects neither the allocataires nor the address. The unticked child and the
uncollected data must be nowhere: dossier row, raw answer, PDF, CSV and XLSX
exports, editors' API, HubEE deposit (JSON and PDF), webhook.
"""

import io
import json

import httpx
import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from wagtail_qf.models import Submission

from .fakes import particulier as api
from .fakes.franceconnect import FakeFranceConnect
from .fakes.hubee import SETTINGS as HUBEE
from .fakes.hubee import HubEEFake

pytestmark = pytest.mark.django_db

HOOK = "https://editeur.test/qf/webhook"
# In api.DUPONT: LEA (born 2018-01-30) is the child left unticked; the second
# allocataire (MARIE, usage name MARTIN, born 1982-02-01) and the address are
# data the page does not collect.
NOT_TRANSMITTED = (
    "LEA",
    "2018-01-30",
    "30 janvier 2018",
    "30/01/2018",
    "MARTIN",
    "1982-02-01",
    "1er février 1982",
    "1 février 1982",
    "RUE DE LA MAIRIE",
    "Monsieur DUPONT PAUL",
)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def assert_not_transmitted(where: str, text: str):
    leaked = [value for value in NOT_TRANSMITTED if value in text]
    assert not leaked, f"{where} holds data that was not transmitted: {leaked}"


@pytest.fixture
def transmitted(client, respx_mock, make_qf_page, make_token, settings, django_capture_on_commit_callbacks):
    """A dossier transmitted through the journey, with its HubEE deposit and webhook."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": HUBEE}
    page = make_qf_page(collect_allocataires=False, collect_address=False, forward_to_hubee=True)
    make_token(page, webhook_url=HOOK)
    hook = respx_mock.post(HOOK).mock(return_value=httpx.Response(204))
    fc = FakeFranceConnect(respx_mock)
    api.particulier_ok(respx_mock, api.DUPONT)
    hubee = HubEEFake()
    with hubee.router:
        client.get(fc.authorize(client, page.url + "connexion/"))
        form = client.get(page.url + "quotient/").context["form"]
        keys = [key for key, _label in form.fields["children"].choices]
        assert len(keys) == 3
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                page.url + "quotient/",
                {"form_token": form.initial["form_token"], "children": keys[:2], "confirm": "on"},
            )
    assert response.status_code == 302
    return Submission.objects.get(), hook, hubee


def test_dossier_row_and_raw_answer_hold_only_the_ticked_children_and_collected_keys(transmitted):
    submission, _hook, _hubee = transmitted
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LUCIE"]
    assert submission.allocataires == [] and submission.address is None
    assert set(submission.raw_response) <= {"quotient_familial", "enfants"}
    assert [c["prenoms"] for c in submission.raw_response["enfants"]] == ["JEAN", "LUCIE"]
    row = json.dumps(model_to_dict(Submission.objects.get(pk=submission.pk)), default=str, ensure_ascii=False)
    assert_not_transmitted("the dossier row", row)


def test_no_output_shows_an_unticked_child_or_uncollected_data(transmitted, admin_client, client, make_token):
    submission, hook, hubee = transmitted
    page = submission.page.specific

    pdf = admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[submission.pk]))
    assert "JEAN" in pdf_text(pdf.content)
    assert_not_transmitted("the PDF", pdf_text(pdf.content))

    detail = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))
    assert "JEAN" in detail.content.decode()
    assert_not_transmitted("the dossier page", detail.content.decode())

    index = reverse("wagtail_qf_submissions:index")
    csv_text = b"".join(admin_client.get(index, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert "JEAN" in csv_text
    assert_not_transmitted("the CSV export", csv_text)
    xlsx = b"".join(admin_client.get(index, {"export": "xlsx"}).streaming_content)
    workbook = load_workbook(io.BytesIO(xlsx))
    cells = " ".join(str(value) for row in workbook.active.values for value in row if value is not None)
    assert "JEAN" in cells
    assert_not_transmitted("the XLSX export", cells)

    _, token = make_token(page)
    dossier = client.get(f"/qf/api/v1/dossiers/{submission.reference}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert dossier.status_code == 200 and "JEAN" in dossier.content.decode()
    assert_not_transmitted("the API", dossier.content.decode())

    (folder,) = hubee.folders.values()
    files = {a["fileName"]: hubee.contents[a["id"]] for a in folder["attachments"]}
    deposited_json = files[f"{submission.reference}.json"].decode()
    assert "JEAN" in deposited_json
    assert_not_transmitted("the HubEE JSON", deposited_json)
    assert_not_transmitted("the HubEE PDF", pdf_text(files[f"{submission.reference}.pdf"]))
    assert_not_transmitted("the HubEE folder", b" ".join(hubee.created_bodies).decode())

    assert hook.call_count == 1
    assert_not_transmitted("the webhook", hook.calls.last.request.content.decode())
