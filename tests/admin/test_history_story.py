"""The dossier's history tells its story (issue 19): the transmission, the status changes,
comments, downloads, exports and HubEE's deposit, each dated with who; the views folded
into one counted line, so that they never hide the rest. The agents' rights unchanged."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers import history
from wagtail_qf.dossiers.creation import create_submission, save_declaration
from wagtail_qf.franceconnect.identity import CitizenIdentity
from wagtail_qf.models import DossierLogEntry, HubEEForwarding, HubEEState
from wagtail_qf.particulier.types import QFResult, QuotientFamilial

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def agent_a(make_agent, two_communes):
    return make_agent("sandrine", two_communes[0])


@pytest.fixture
def transmitted(two_communes):
    """A dossier transmitted with FranceConnect on commune A's page, through the domain."""
    identity = CitizenIdentity(sub="s", given_name="Paul", family_name="DUPONT", birthdate="1980-06-15")
    result = QFResult(QuotientFamilial("CNAF", 1234, 2026, 11), (), (), None, raw={})
    return create_submission(two_communes[1], identity, result, [], "token-story")


def lines(client, submission):
    html = client.get(reverse("wagtail_qf_submissions:inspect", args=[submission.pk])).content.decode()
    ol = html.split('<ol class="qf-history">')[1].split("</ol>")[0]
    items = re.findall(r'<p class="qf-history__what">(.*?)</p>\s*<p class="qf-history__when', ol, re.S)
    return [unescape(" ".join(item.split())) for item in items], ol


def test_the_transmission_is_the_first_line_dated_and_by_the_requester(client, agent_a, transmitted):
    entry = DossierLogEntry.objects.get(action=history.TRANSMISSION)
    assert entry.timestamp == transmitted.submitted_at and entry.user_id is None
    client.force_login(agent_a)
    story, _html = lines(client, transmitted)
    assert story[-1] == "Le demandeur a transmis le dossier avec FranceConnect"


def test_a_dossier_without_franceconnect_says_so(client, agent_a, two_communes):
    identity = CitizenIdentity(sub="", given_name="Paul", family_name="DUPONT", birthdate="1980-06-15")
    submission = save_declaration(two_communes[1], identity, "token-decl", email="p@x.test")
    client.force_login(agent_a)
    assert lines(client, submission)[0][-1] == "Le demandeur a transmis le dossier sans FranceConnect"


def test_views_are_folded_into_one_counted_line_and_never_hide_the_rest(
    client, agent_a, make_agent, two_communes, transmitted
):
    colleague = make_agent("yann", two_communes[0])
    history.change_status(transmitted, "in_progress", agent_a, "pièces demandées")
    history.add_comment(transmitted, agent_a, "appel le 3")
    history.record_pdf(transmitted, colleague)
    for _ in range(120):  # more views than the history shows lines
        history.record_view(transmitted, colleague)
    client.force_login(agent_a)
    story, html = lines(client, transmitted)  # this view is the 121st
    views = [line for line in story if "consulté" in line]
    assert views == ["Sandrine a consulté le dossier en dernier (121 consultations en tout)"]
    assert "Yann : 120 fois, dernière fois le" in html and "Sandrine : une fois, le" in html
    assert "<details" in html and "<summary>Détail des consultations</summary>" in html
    assert story[1:] == [
        "Yann a téléchargé le récapitulatif PDF",
        "Sandrine a ajouté un commentaire : « appel le 3 »",
        "Sandrine a transmis une information à la personne concernée (courriel : échec de l'envoi) : « pièces demandées »",
        "Sandrine a modifié le statut : Nouveau > En cours : « pièces demandées »",
        "Le demandeur a transmis le dossier avec FranceConnect",
    ]


def test_a_single_view_is_one_plain_line(client, agent_a, transmitted):
    client.force_login(agent_a)
    story, html = lines(client, transmitted)
    assert [line for line in story if "consulté" in line] == ["Sandrine a consulté le dossier"]
    assert "<details" not in html


def test_exports_and_hubee_are_in_the_story(client, agent_a, transmitted):
    client.force_login(agent_a)
    client.get(reverse("wagtail_qf_submissions:index") + "?export=csv")
    deposited = timezone.now() - datetime.timedelta(minutes=5)
    HubEEForwarding.objects.create(
        submission=transmitted, state=HubEEState.DEPOSITED, folder_id="F-42", deposited_at=deposited
    )
    story, _html = lines(client, transmitted)
    assert "Sandrine a exporté le dossier (CSV)" in story
    assert "Le service en ligne a déposé le dossier sur HubEE (dossier HubEE F-42)" in story


def test_a_failed_hubee_deposit_is_told(client, agent_a, transmitted):
    HubEEForwarding.objects.create(
        submission=transmitted, state=HubEEState.FAILED, last_error="http_500", attempts=5
    )
    client.force_login(agent_a)
    story, _html = lines(client, transmitted)
    assert (
        "Le service en ligne n'a pas pu déposer le dossier sur HubEE (HubEE indisponible, après 5 essai(s))"
        in story
    )


def test_status_changed_by_hubee_names_the_service(client, agent_a, transmitted):
    history.change_status(transmitted, "done", None, "Statut HubEE : DONE")
    client.force_login(agent_a)
    story, _html = lines(client, transmitted)
    assert "Le service en ligne a modifié le statut : Nouveau > Traité : « Statut HubEE : DONE »" in story


def test_the_transmission_shows_only_to_the_agents_of_the_dossier(
    client, agent_a, make_agent, two_communes, transmitted
):
    agent_b = make_agent("bruno", two_communes[2])
    client.force_login(agent_b)
    assert client.get(reverse("wagtail_qf_submissions:inspect", args=[transmitted.pk])).status_code == 404
    assert transmitted.reference not in client.get(SITE_HISTORY).content.decode()
    client.force_login(agent_a)
    text = client.get(SITE_HISTORY).content.decode()
    assert transmitted.reference in text and "Transmission du dossier" in text


def test_an_entry_is_written_without_looking_up_its_relations(
    agent_a, transmitted, django_assert_num_queries
):
    """Wagtail's check of each entry queried its content type and user before the insert:
    one more query on every transmission, view and status change."""
    history.record_view(transmitted, agent_a)  # the content type now in Django's cache
    with django_assert_num_queries(1):  # the INSERT alone
        history.record_view(transmitted, agent_a)
    assert DossierLogEntry.objects.filter(action=history.VIEW, user=agent_a).count() == 2


def test_an_entry_of_an_unknown_action_is_still_refused(transmitted):
    from django.core.exceptions import ValidationError
    from wagtail.log_actions import log

    with pytest.raises(ValidationError):
        log(transmitted, "wagtail_qf.unknown")
    assert not DossierLogEntry.objects.filter(action="wagtail_qf.unknown").exists()


@pytest.mark.parametrize("forwarded", [True, False])
def test_the_dossier_page_reads_the_hubee_forwarding_once(client, agent_a, transmitted, forwarded):
    """Its history and its side panel both tell where the dossier stands on HubEE: each read it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if forwarded:
        HubEEForwarding.objects.create(
            submission=transmitted,
            state=HubEEState.DEPOSITED,
            folder_id="DOSSIER-HUBEE-7",
            deposited_at=timezone.now(),
        )
    client.force_login(agent_a)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("wagtail_qf_submissions:inspect", args=[transmitted.pk])).content.decode()
    table = HubEEForwarding._meta.db_table
    assert sum(f'FROM "{table}"' in query["sql"] for query in queries.captured_queries) == 1
    assert ("DOSSIER-HUBEE-7" in html) is forwarded
