"""Numbers sent by a browser or a server are read as ASCII digits: « ² » passes ``str.isdigit``
but not ``int()``, which answered 500 (or crashed an upstream call) where the number is refused now."""

import pytest
from django.urls import reverse

from wagtail_qf.models import Submission
from wagtail_qf.numbers import database_id, whole_number
from wagtail_qf.upstream import retry_after


@pytest.mark.parametrize(
    ("text", "number", "identifier"),
    [
        ("42", 42, 42),
        ("", None, None),
        ("²", None, None),
        ("٣", None, None),
        (" 4", None, None),
        ("9" * 18, 10**18 - 1, 10**18 - 1),
        ("9" * 19, 10**19 - 1, None),
    ],
)  # fmt: skip -- one case a line
def test_whole_numbers_and_database_ids(text, number, identifier):
    assert (whole_number(text), database_id(text)) == (number, identifier)


def test_a_retry_after_in_other_digits_is_unreadable():
    assert retry_after({"Retry-After": "²"}) == 0.0
    assert retry_after({"Retry-After": "120"}) == 120.0


@pytest.mark.django_db
def test_the_inbox_filtered_by_a_page_in_other_digits_answers(admin_client, two_communes):
    assert admin_client.get(reverse("wagtail_qf_submissions:index") + "?page=²").status_code == 200


@pytest.mark.django_db
def test_a_bulk_selection_in_other_digits_selects_nothing(admin_client, two_communes, make_submission):
    dossier = make_submission(two_communes[1])
    response = admin_client.post(
        reverse("wagtail_qf_submissions:bulk"), {"ids": ["²", "9" * 30], "status": "done"}, follow=True
    )
    assert "cochez au moins un dossier" in response.content.decode()
    assert Submission.objects.get(pk=dossier.pk).status == "new"
