"""A mistyped date on the statistics page keeps the page and status chosen beside it: the figures
never silently become those of every page while the form still shows one."""

import pytest
from django.urls import reverse

from .test_review_stats_figures import counts, sections

pytestmark = pytest.mark.django_db

URL = reverse("wagtail_qf_statistics")


@pytest.mark.parametrize(
    "dates", [{"date_from": "31/02/2026"}, {"date_from": "2026-06-01", "date_to": "2026-01-01"}]
)
def test_a_wrong_date_keeps_the_page_and_the_status_chosen(
    client, admin_user, two_communes, make_submission, dates
):
    _, page_a, _, page_b = two_communes
    for _ in range(3):
        make_submission(page_a, status="done")
    make_submission(page_b, status="done")
    make_submission(page_b, status="new")
    client.force_login(admin_user)
    response = client.get(URL, {"page": page_b.pk, "status": "done", **dates})
    by_status = counts(sections(response)["statuts"])
    assert by_status["Traité"] == 1 and by_status["Nouveau"] == 1  # page B's, not A's and B's
    assert response.context["status_label"] == "Traité"
    assert response.context["form"].errors  # and the date is said to be wrong
