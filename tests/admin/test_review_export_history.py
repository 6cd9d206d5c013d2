"""Wagtail's site history never shows an agent another commune's exports, even one left without
dossiers: an export that found nothing, or whose dossiers were deleted since (their page deleted).

Such an export « holds no dossier the agent may not see », yet it is another commune's: its entry
named that commune's agent to every agent of the site."""

import pytest
from django.urls import reverse

from wagtail_qf.models import Export

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"
INDEX = "wagtail_qf_submissions:index"


@pytest.fixture
def agents(two_communes, make_agent, make_submission):
    home_a, page_a, home_b, page_b = two_communes
    make_submission(page_a)
    make_submission(page_b)
    return make_agent("sandrine", home_a), make_agent("rennais", home_b)


def _history(client, agent):
    client.force_login(agent)
    return client.get(SITE_HISTORY).content.decode()


def test_an_empty_export_of_another_commune_is_not_in_the_site_history(client, agents):
    agent_a, agent_b = agents
    client.force_login(agent_b)
    client.get(reverse(INDEX) + "?status=refused&export=csv")  # B's export finds nothing
    assert Export.objects.get().count == 0
    assert "Rennais" not in _history(client, agent_a)
    assert "Rennais" in _history(client, agent_b)  # their own export stays in their history


def test_an_export_whose_dossiers_were_deleted_is_not_in_the_site_history(client, agents, two_communes):
    agent_a, agent_b = agents
    client.force_login(agent_b)
    client.get(reverse(INDEX) + "?export=xlsx")
    two_communes[3].delete()  # commune B's page, and its dossiers with it
    assert "Rennais" not in _history(client, agent_a)


def test_an_agent_still_sees_the_exports_of_their_communes_dossiers(client, agents, admin_user, two_communes):
    agent_a, _agent_b = agents
    client.force_login(admin_user)
    client.get(reverse(INDEX) + "?export=csv")  # both communes' dossiers: not for agent A
    client.get(reverse(INDEX) + f"?page={two_communes[1].pk}&export=csv")  # commune A's only
    client.force_login(agent_a)
    client.get(reverse(INDEX) + "?export=xlsx")
    text = _history(client, agent_a)
    assert text.count("exporté 1 dossier(s)") == 2  # not the export of both communes
