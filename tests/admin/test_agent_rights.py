"""Agents see and change only what they may: modeladmin, site history, bulk actions (issue 14)."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Export, ExportedSubmission, Submission

pytestmark = pytest.mark.django_db

MODELADMIN = "/admin/qf-modeladmin/"
SITE_HISTORY = "/admin/reports/site-history/"
BULK = "wagtail_qf_submissions:bulk"
INDEX = "wagtail_qf_submissions:index"


@pytest.fixture
def communes(two_communes, make_agent, make_submission):
    home_a, page_a, home_b, page_b = two_communes
    return {
        "agent_a": make_agent("sandrine", home_a),
        "agent_b": make_agent("rennais", home_b),
        "mine": make_submission(page_a, family_name='=HYPERLINK("http://x")', qf_value=700),
        "theirs": make_submission(page_b, family_name="DURAND"),
        "page_a": page_a,
        "page_b": page_b,
    }


def _refused(response):
    """Wagtail answers a PermissionDenied with 403, or a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


# -- item 4: the modeladmin listing is read-only, exports as the inbox does ----------------------


def test_modeladmin_never_changes_a_certified_dossier(client, communes):
    dossier = communes["mine"]
    client.force_login(communes["agent_a"])  # holds change_submission
    edit = f"{MODELADMIN}edit/{dossier.pk}/"
    assert _refused(client.get(edit))
    forged = {
        "page": communes["page_b"].pk,
        "qf_value": 99,
        "family_name": "PIRATE",
        "given_names": "X",
        "status": "done",
        "source": "form",
    }
    assert _refused(client.post(edit, forged))
    assert _refused(client.post(f"{MODELADMIN}delete/{dossier.pk}/"))
    assert _refused(client.get(f"{MODELADMIN}create/"))
    dossier.refresh_from_db()
    assert (dossier.page_id, dossier.qf_value, dossier.status) == (communes["page_a"].pk, 700, "new")
    assert edit not in client.get(MODELADMIN).content.decode()


def test_modeladmin_sends_the_agent_to_the_inbox_to_process_a_dossier(client, communes):
    dossier = communes["mine"]
    client.force_login(communes["agent_a"])
    processing = reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])
    assert processing in client.get(MODELADMIN).content.decode()
    inspect = client.get(f"{MODELADMIN}inspect/{dossier.pk}/")
    assert inspect.status_code == 200 and processing in inspect.content.decode()
    # The consultation is in the dossier's history, as on the inbox's detail.
    assert DossierLogEntry.objects.filter(action=history.VIEW, object_id=str(dossier.pk)).exists()


def test_modeladmin_history_never_shows_another_communes_dossier(client, communes, admin_user):
    theirs = communes["theirs"]
    history.add_comment(theirs, admin_user, "confidentiel")
    client.force_login(communes["agent_a"])
    response = client.get(f"{MODELADMIN}history/{theirs.pk}/")
    assert response.status_code == 404 or _refused(response)
    assert "confidentiel" not in response.content.decode()


def test_modeladmin_export_needs_the_export_permission(client, make_agent, two_communes, communes):
    reader = make_agent("lecteur", two_communes[0], perms=("change_submission",))
    client.force_login(reader)
    assert "export=csv" not in client.get(MODELADMIN).content.decode()
    for spreadsheet_format in ("csv", "xlsx"):
        response = client.get(f"{MODELADMIN}?export={spreadsheet_format}")
        assert _refused(response) and not getattr(response, "streaming", False)
    assert not Export.objects.exists()


def test_modeladmin_export_is_the_inbox_export_neutralised_and_recorded(client, communes):
    client.force_login(communes["agent_a"])
    response = client.get(f"{MODELADMIN}?export=csv")
    rows = list(csv.reader(io.StringIO(_text(response)), delimiter=";"))
    inbox = list(csv.reader(io.StringIO(_text(client.get(reverse(INDEX) + "?export=csv"))), delimiter=";"))
    assert rows == inbox  # same columns, same rows, same neutralisation
    assert [row[0] for row in rows[1:]] == [communes["mine"].reference]
    assert rows[1][5] == '\'=HYPERLINK("http://x")'
    export = Export.objects.filter(user=communes["agent_a"]).order_by("pk").first()
    assert (export.format, export.count) == ("csv", 1)
    assert set(ExportedSubmission.objects.filter(export=export).values_list("submission_id", flat=True)) == {
        communes["mine"].pk
    }

    workbook = load_workbook(io.BytesIO(b"".join(client.get(f"{MODELADMIN}?export=xlsx").streaming_content)))
    cells = list(workbook.active.values)
    assert cells[0][0] == "Référence" and cells[1][5] == '\'=HYPERLINK("http://x")'
    assert Export.objects.filter(user=communes["agent_a"], format="xlsx").exists()


def test_no_generic_view_edits_or_lists_the_history_of_a_dossier(client, communes):
    dossier = communes["mine"]
    client.force_login(communes["agent_a"])
    for url in (
        f"/admin/quotients-familiaux/edit/{dossier.pk}/",
        f"/admin/quotients-familiaux/history/{dossier.pk}/",
        f"/admin/quotients-familiaux/delete/{dossier.pk}/",
        "/admin/snippets/wagtail_qf/submission/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"qf_value": 1}).status_code == 404, url
    assert Submission.objects.get(pk=dossier.pk).qf_value == 700


# -- item 5: log entries of the dossiers the agent may view, nowhere else --------------------------


def test_site_history_shows_an_agent_only_the_dossiers_they_may_view(client, communes):
    mine, theirs = communes["mine"], communes["theirs"]
    history.change_status(mine, "in_progress", communes["agent_a"], "pièces reçues")
    history.add_comment(theirs, communes["agent_b"], "confidentiel")
    history.change_status(theirs, "done", communes["agent_b"])
    client.force_login(communes["agent_a"])
    for url in (SITE_HISTORY, SITE_HISTORY + "results/", SITE_HISTORY + "?export=csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert mine.reference in text, url
        assert theirs.reference not in text, url
        assert "Rennais" not in text, url  # nor who acted on it (the user filter included)


def test_site_history_hides_exports_of_dossiers_the_agent_may_not_view(client, communes):
    # A site may let its agents see exports in the site history: only their communes' ones.
    for agent in (communes["agent_a"], communes["agent_b"]):
        agent.user_permissions.add(Permission.objects.get(codename="view_export"))
    client.force_login(communes["agent_b"])
    client.get(reverse(INDEX) + "?export=csv")  # agent B exports the dossier of Rennes
    theirs = Export.objects.get()
    client.force_login(communes["agent_a"])
    client.get(reverse(INDEX) + "?export=xlsx")
    mine = Export.objects.exclude(pk=theirs.pk).get()
    text = client.get(SITE_HISTORY).content.decode()
    assert str(mine) in text and str(theirs) not in text and "Rennais" not in text


def test_site_history_links_a_dossier_entry_to_the_dossier(client, communes, admin_user):
    history.change_status(communes["theirs"], "done", admin_user)
    client.force_login(admin_user)
    response = client.get(SITE_HISTORY)
    assert response.status_code == 200
    text = response.content.decode()
    assert communes["theirs"].reference in text
    assert reverse("wagtail_qf_submissions:inspect", args=[communes["theirs"].pk]) in text


# -- item 8: bulk actions ----------------------------------------------------------------------


@pytest.mark.parametrize("action", [{"export": "csv"}, {"status": "closed"}])
def test_bulk_action_without_selection_says_so(client, communes, action):
    client.force_login(communes["agent_a"])
    response = client.post(reverse(BULK), action, follow=True)
    assert response.status_code == 200
    assert "Aucun dossier sélectionné" in response.content.decode()
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_bulk_action_redirects_only_within_the_site(client, communes, next_url):
    client.force_login(communes["agent_a"])
    selection = {"ids": [communes["mine"].pk], "status": "closed"}
    response = client.post(reverse(BULK), {**selection, "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse(INDEX)
    assert Submission.objects.get(pk=communes["mine"].pk).status == "closed"
    local = reverse(INDEX) + "?status=new"
    response = client.post(reverse(BULK), {"ids": [communes["mine"].pk], "status": "new", "next": local})
    assert response["Location"] == local
