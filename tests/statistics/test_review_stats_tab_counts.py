"""The inbox's status tabs count what the listing shows, also when its page filter is refused."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_tabs_count_the_listing_when_the_page_asked_for_is_not_offered(
    client, make_agent, two_communes, make_submission, admin_user
):
    """Another commune's page, or a page that does not exist, is refused by the filter and the
    listing shows every dossier of the agent: the tabs said « Tous (0) » above them."""
    home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a), make_submission(page_a, status="done")
    make_submission(page_b)
    for user, page_id in ((make_agent("sandrine", home_a), page_b.pk), (admin_user, 987654)):
        client.force_login(user)
        response = client.get(reverse("wagtail_qf_submissions:index"), {"page": page_id})
        listed = [row.status for row in response.context["object_list"]]
        tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
        assert response.context["filters"].errors  # the filter is refused, and said so
        assert tabs[""] == len(listed) and tabs["done"] == listed.count("done") == 1
