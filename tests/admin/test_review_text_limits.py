"""The limits of the dossier page's texts are counted as the agent sees them.

The page counts a line break as one character (the field's ``maxlength`` and its counter), and
browsers send it as two (``\\r\\n``): a comment of 500 characters with line breaks, accepted by the
page, was refused by the server as too long."""

import pytest
from django.urls import reverse

from wagtail_qf.admin.forms import COMMENT_MAX_LENGTH, MESSAGE_MAX_LENGTH
from wagtail_qf.models import DossierLogEntry

pytestmark = pytest.mark.django_db


def _as_sent(lines, length):
    """``length`` characters as the page counts them, in ``lines`` lines, as a browser sends them."""
    typed = "\n".join("x" * ((length - lines + 1) // lines) for _ in range(lines))
    typed += "x" * (length - len(typed))
    assert len(typed) == length
    return typed.replace("\n", "\r\n")


@pytest.fixture
def dossier_url(client, make_agent, two_communes, make_submission):
    client.force_login(make_agent("sandrine", two_communes[0]))
    dossier = make_submission(two_communes[1])
    return reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])


def test_a_comment_of_500_characters_with_line_breaks_is_accepted(client, dossier_url):
    response = client.post(dossier_url, {"comment": _as_sent(5, COMMENT_MAX_LENGTH), "add_comment": ""})
    assert response.status_code == 302
    (entry,) = DossierLogEntry.objects.filter(action="wagtail_qf.comment")
    assert len(entry.data["comment"]) == COMMENT_MAX_LENGTH and "\r" not in entry.data["comment"]


def test_a_comment_over_500_characters_is_still_refused(client, dossier_url):
    response = client.post(dossier_url, {"comment": _as_sent(5, COMMENT_MAX_LENGTH + 1), "add_comment": ""})
    assert response.status_code == 200 and "500" in response.content.decode()
    assert not DossierLogEntry.objects.filter(action="wagtail_qf.comment").exists()


def test_a_message_to_the_family_at_its_limit_with_line_breaks_is_accepted(client, dossier_url):
    message = _as_sent(20, MESSAGE_MAX_LENGTH)
    response = client.post(dossier_url, {"message": message, "send_message": ""})
    assert response.status_code == 302
    response = client.post(dossier_url, {"status": "in_progress", "message": message, "change_status": ""})
    assert response.status_code == 302
