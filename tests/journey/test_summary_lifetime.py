"""The PDF summary holds the citizen's data: it lives no longer than the identity (``SESSION_TTL_SECONDS``)."""

import time

import pytest

from wagtail_qf.conf import qf_settings
from wagtail_qf.models import Submission

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db


def transmit(client, page, logged_in):
    form_token = logged_in(page, family_result())
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    assert client.post(page.url + "quotient/", data)["Location"] == page.url + "confirmation/"
    return Submission.objects.get()


def age_session(client, seconds):
    """The clock moves on: the login was ``seconds`` further in the past."""
    session = client.session
    session["wagtail_qf"]["expires_at"] -= seconds
    session.save()


def test_summary_pdf_is_served_within_the_identity_ttl(client, qf_page, logged_in):
    submission = transmit(client, qf_page, logged_in)
    response = client.get(qf_page.url + "confirmation/recapitulatif/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert submission.reference in response["Content-Disposition"]


def test_summary_pdf_is_not_served_after_the_identity_ttl(client, qf_page, logged_in):
    transmit(client, qf_page, logged_in)
    age_session(client, qf_settings.SESSION_TTL_SECONDS + 1)
    response = client.get(qf_page.url + "confirmation/recapitulatif/")
    assert response.status_code == 302 and response["Location"] == qf_page.url
    # The key to the PDF is gone from the session, not only hidden.
    assert "reference" not in str(client.session["wagtail_qf"])
    assert client.get(qf_page.url + "confirmation/")["Location"] == qf_page.url


def test_summary_pdf_expiry_counts_from_the_login(client, qf_page, logged_in):
    # Logged in long ago, one minute left: the transmission does not restart the clock.
    form_token = logged_in(qf_page, family_result(), ttl=60)
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    client.post(qf_page.url + "quotient/", data)
    assert client.session["wagtail_qf"]["expires_at"] <= time.time() + 60
    age_session(client, 61)
    assert client.get(qf_page.url + "confirmation/recapitulatif/").status_code == 302
