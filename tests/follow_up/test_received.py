"""Status « Reçu » (issue 18): a new dossier becomes « Reçu » when an agent first opens it or when
the commune's software fetches it through the editors' API, as ``WAGTAIL_QF["RECEIVED_WHEN"]`` says."""

import pytest
from django.urls import reverse

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def status_entries(submission):
    return list(DossierLogEntry.objects.for_instance(submission).filter(action=history.STATUS))


@pytest.fixture
def received_when(settings):
    def configure(*ways):
        settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RECEIVED_WHEN": list(ways)}

    return configure


def test_reçu_is_the_second_of_the_seven_statuses():
    assert SubmissionStatus.values == [
        "new",
        "received",
        "in_progress",
        "awaiting",
        "refused",
        "done",
        "closed",
    ]
    assert SubmissionStatus.RECEIVED.label == "Reçu"


def test_a_new_dossier_becomes_received_when_an_agent_first_opens_it(
    client, make_agent, two_communes, make_submission
):
    dossier = make_submission(two_communes[1])
    client.force_login(make_agent("sandrine", two_communes[0]))
    url = reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])
    html = client.get(url).content.decode()
    assert Submission.objects.get(pk=dossier.pk).status == "received"
    assert "<dd><strong>Reçu</strong></dd>" in html  # the page shows the status it just took
    client.get(url)  # opened again: nothing more
    (entry,) = status_entries(dossier)
    assert entry.data == {"old": "new", "new": "received", "received": "opened"}
    assert entry.user.username == "sandrine"
    assert (
        "a modifié le statut : Nouveau &gt; Reçu : « dossier ouvert par un agent »"
        in client.get(url).content.decode()
    )


def test_only_a_new_dossier_becomes_received(admin_client, qf_page, make_submission):
    dossier = make_submission(qf_page, status="awaiting")
    admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]))
    assert Submission.objects.get(pk=dossier.pk).status == "awaiting" and not status_entries(dossier)


@pytest.mark.parametrize("path", ["list", "detail"])
def test_a_new_dossier_becomes_received_when_the_commune_s_software_fetches_it(
    api, qf_page, make_submission, make_token, path, settle
):
    dossier = make_submission(qf_page)
    done = make_submission(qf_page, status="done")
    _token, clear = make_token(qf_page, name="Portail Famille")
    settle()
    if path == "list":
        answer = {d["reference"]: d["status"] for d in api("dossiers/", clear).json()["results"]}
        assert answer == {dossier.reference: "received", done.reference: "done"}
    else:
        assert api(f"dossiers/{dossier.reference}/", clear).json()["status"] == "received"
    assert Submission.objects.get(pk=dossier.pk).status == "received"
    (entry,) = status_entries(dossier)
    assert entry.user is None
    assert entry.data == {"old": "new", "new": "received", "received": "fetched", "editor": "Portail Famille"}
    assert not status_entries(done)
    api("dossiers/", clear)  # fetched again: nothing more
    assert len(status_entries(dossier)) == 1


def test_configured_off_a_dossier_stays_new(
    received_when, admin_client, api, qf_page, make_submission, make_token
):
    received_when()
    dossier = make_submission(qf_page)
    _token, clear = make_token(qf_page)
    admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]))
    assert api(f"dossiers/{dossier.reference}/", clear).json()["status"] == "new"
    assert Submission.objects.get(pk=dossier.pk).status == "new" and not status_entries(dossier)


def test_received_only_when_fetched(received_when, admin_client, api, qf_page, make_submission, make_token):
    received_when("fetched")
    dossier = make_submission(qf_page)
    _token, clear = make_token(qf_page)
    admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]))
    assert Submission.objects.get(pk=dossier.pk).status == "new"  # opened: not received
    assert api(f"dossiers/{dossier.reference}/", clear).json()["status"] == "received"


def test_the_inbox_has_a_tab_for_received_dossiers(admin_client, qf_page, make_submission):
    make_submission(qf_page, status="received")
    response = admin_client.get(reverse("wagtail_qf_submissions:index"))
    tabs = {tab["value"]: (tab["label"], tab["count"]) for tab in response.context["status_tabs"]}
    assert tabs["received"] == ("Reçu", 1)
