"""Fixtures of the follow-up tests (issue 18): a citizen whose FranceConnect login certified
an address, an SMTP server that is down, a backend that defers tasks."""

import smtplib
import time

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from ..factories import IDENTITY

CERTIFIED = "paul.dupont@example.org"
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class SMTPDownBackend(BaseEmailBackend):
    """An e-mail backend whose SMTP server drops the connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


SMTP_DOWN = "tests.follow_up.conftest.SMTPDownBackend"


@pytest.fixture
def logged_in_with_email(client):
    """A citizen in the session as the FranceConnect callback leaves them, with the ``email`` claim."""

    def login(page, result, email=CERTIFIED):
        session = client.session
        session["wagtail_qf"] = {
            "identity": {**IDENTITY, "email": email},
            "id_token": "header.payload.signature",
            "expires_at": time.time() + 900,
            "pages": {str(page.pk): {"result": result.to_session(), "form_token": f"token-{page.pk}"}},
        }
        session.save()
        return f"token-{page.pk}"

    return login


@pytest.fixture
def agent_a(make_agent, two_communes):
    """Sandrine, agent of commune A (the default site's page)."""
    return make_agent("sandrine", two_communes[0])
