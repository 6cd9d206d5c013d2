"""The inbox's status tabs count only the dossiers the agent sees now.

Filtered counts are cached (until the next write of a dossier): an agent moved from commune B
to commune A kept seeing, beside A's listing, the counts of B's dossiers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

pytestmark = pytest.mark.django_db


def _tabs(response):
    return {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}


def test_tab_counts_follow_a_change_of_the_agents_pages(client, make_agent, two_communes, make_submission):
    home_a, page_a, home_b, page_b = two_communes
    make_submission(page_a, family_name="MARTIN")
    for _ in range(3):
        make_submission(page_b, family_name="MARTIN")
    agent = make_agent("mobile", home_b)
    client.force_login(agent)
    url = reverse("wagtail_qf_submissions:index") + "?q=martin"
    assert _tabs(client.get(url))[""] == 3
    # The agent now works for commune A, no longer for B.
    group = Group.objects.get(user=agent)
    GroupPagePermission.objects.filter(group=group).update(page=home_a)
    response = client.get(url)
    assert {row.page_id for row in response.context["object_list"]} == {page_a.pk}
    assert _tabs(response)[""] == 1
