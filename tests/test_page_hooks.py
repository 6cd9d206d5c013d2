"""The page as the extension surface: ``get_step_views``, ``get_form_class``,
``get_submission_class`` and ``process_transmission``.

The town hall's page (tests/testapp) overrides each of them; its dossiers go through the
journey (both paths), the inbox (list and detail), the CSV export, the editors' API and the
purge like any other."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers.creation import Transmission
from wagtail_qf.dossiers.retention import purge
from wagtail_qf.franceconnect.identity import CitizenIdentity
from wagtail_qf.journey import steps
from wagtail_qf.journey.forms import TransmissionForm
from wagtail_qf.journey.identity import BlindTransmissionForm
from wagtail_qf.models import DossierLogEntry, Source, Submission
from wagtail_qf.particulier.types import QFResult

from .factories import TownHallQFPageFactory
from .fakes import particulier
from .fakes.franceconnect import FakeFranceConnect
from .journey import identity_helpers
from .testapp.models import (
    SchoolForm,
    TownHallConfirmationView,
    TownHallIdentityForm,
    TownHallSubmission,
)

pytestmark = pytest.mark.django_db

SCHOOL = "École Jules-Ferry"
NOTE = f"École indiquée par la famille : {SCHOOL}"


@pytest.fixture
def town_hall(home_page):
    """The town hall's page (Betton), with its opening hours and a 30-day retention."""
    return TownHallQFPageFactory(parent=home_page)


@pytest.fixture
def transmitted(client, respx_mock, town_hall):
    """The town hall's dossier of a family that logged in with FranceConnect and answered the
    page's own question."""
    fc = FakeFranceConnect(respx_mock)
    particulier.particulier_ok(respx_mock, particulier.DUPONT)
    client.get(fc.authorize(client, town_hall.url + "connexion/"))
    form = client.get(town_hall.url + "quotient/").context["form"]
    response = client.post(
        town_hall.url + "quotient/",
        {"form_token": form.initial["form_token"], "no_child": "on", "confirm": "on", "school": SCHOOL},
    )
    assert response.status_code == 302
    return Submission.objects.get(page_id=town_hall.pk)


def index_url(**params):
    return reverse("wagtail_qf_submissions:index") + "?" + urlencode(params)


# -- the defaults ------------------------------------------------------------------
def test_every_route_of_the_page_is_served_by_a_step_view(qf_page):
    routes = {pattern.name for pattern in qf_page.get_subpage_urls()} - {"index_route"}  # Wagtail's, shadowed
    views = qf_page.get_step_views()
    assert routes == {f"step_{name}" for name in views}
    assert views == steps.STEP_VIEWS


def test_default_hooks_give_the_journeys_forms_and_the_apps_dossier(qf_page):
    assert qf_page.get_form_class("quotient") is TransmissionForm
    assert qf_page.get_form_class("identity") is BlindTransmissionForm
    assert qf_page.get_form_class("consent") is None
    assert qf_page.get_submission_class() is Submission


def test_a_page_changing_its_step_views_leaves_the_defaults_alone(town_hall, qf_page):
    assert town_hall.get_step_views()["confirmation"] is TownHallConfirmationView
    assert qf_page.get_step_views()["confirmation"] is steps.ConfirmationView


def test_the_certified_data_cannot_be_overwritten_through_the_fields_of_a_site(town_hall):
    identity = CitizenIdentity(sub="s", given_name="PAUL", family_name="DUPONT")
    transmission = Transmission(town_hall, identity, "token", result=QFResult(None, (), (), None, raw={}))
    with pytest.raises(TypeError, match="qf_value"):
        transmission.save(qf_value=1)
    assert not Submission.objects.exists()


# -- the town hall's page, through the journey -------------------------------------
def test_quotient_step_shows_the_question_of_the_page(client, respx_mock, town_hall):
    fc = FakeFranceConnect(respx_mock)
    particulier.particulier_ok(respx_mock, particulier.DUPONT)
    client.get(fc.authorize(client, town_hall.url + "connexion/"))

    response = client.get(town_hall.url + "quotient/")

    assert isinstance(response.context["form"], SchoolForm)
    assert "École de vos enfants (facultatif)" in response.content.decode()


def test_transmission_makes_the_dossier_of_the_pages_class_with_its_answer(transmitted):
    dossier = TownHallSubmission.objects.get(pk=transmitted.pk)
    assert dossier.school == SCHOOL
    assert dossier.source == Source.FRANCECONNECT and dossier.qf_value is not None


def test_the_pages_confirmation_view_serves_the_confirmation(client, transmitted, town_hall):
    html = client.get(town_hall.url + "confirmation/").content.decode()
    assert transmitted.reference in html
    assert "Accueil du service : du lundi au vendredi, 9 h – 12 h" in html


def test_identity_path_uses_the_pages_form_and_dossier_class(client, town_hall):
    town_hall.allow_identity_form = True
    town_hall.save_revision().publish()

    page = client.get(identity_helpers.form_url(town_hall))
    assert isinstance(page.context["form"], TownHallIdentityForm)
    assert "Adresse électronique où la mairie vous répondra" in page.content.decode()
    response = identity_helpers.send(client, town_hall)

    assert response.status_code == 302
    dossier = TownHallSubmission.objects.get()
    assert dossier.source == Source.IDENTITY and dossier.email == "famille.dupont@example.org"
    assert dossier.school == ""  # the question is the quotient step's: nothing asked, nothing kept


# -- the dossier everywhere else -----------------------------------------------------
def test_inbox_lists_the_dossier(client, make_agent, two_communes, town_hall, transmitted):
    client.force_login(make_agent("sandrine", two_communes[0]))

    listed = client.get(index_url(page=town_hall.pk))

    assert [row.reference for row in listed.context["object_list"]] == [transmitted.reference]


def test_dossier_detail_shows_what_the_pages_processing_added(client, make_agent, two_communes, transmitted):
    client.force_login(make_agent("sandrine", two_communes[0]))

    detail = client.get(reverse("wagtail_qf_submissions:inspect", args=[transmitted.pk]))

    assert detail.status_code == 200
    assert NOTE in detail.content.decode()


def test_csv_export_holds_the_dossier(client, make_agent, two_communes, town_hall, transmitted):
    client.force_login(make_agent("sandrine", two_communes[0]))

    response = client.get(index_url(export="csv", page=town_hall.pk))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[header.index("Référence")] for row in rows] == [transmitted.reference]


def test_editors_api_reads_the_dossier(api, make_token, town_hall, transmitted, settle):
    _, clear = make_token(town_hall)
    settle()

    listed = api("dossiers/", clear).json()["results"]
    one = api(f"dossiers/{transmitted.reference}/", clear)

    assert [d["reference"] for d in listed] == [transmitted.reference]
    assert one.status_code == 200 and one.json()["reference"] == transmitted.reference


def test_purge_erases_what_the_page_added_with_the_rest(town_hall, transmitted):
    Submission.objects.filter(pk=transmitted.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=31)
    )

    assert purge() == 1

    dossier = TownHallSubmission.objects.get(pk=transmitted.pk)
    assert dossier.anonymised_at is not None and dossier.family_name == ""
    assert dossier.school == ""
    entries = DossierLogEntry.objects.filter(object_id=str(dossier.pk))
    assert entries.exists() and NOTE not in str([entry.data for entry in entries])
