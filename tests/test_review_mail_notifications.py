"""Review (mail): the e-mails to the page's notification address (``dossiers.notifications``).

They go to the commune's agents: in the site's language whoever's request enqueued them, with an
absolute link on the admin's address, one-line subject, and a refused sending logged without the
address and without breaking the family's transmission."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import translation

from wagtail_qf.dossiers import notifications

pytestmark = pytest.mark.django_db

NOTIFIED = "accueil.qf@mairie-cesson.test"


class RecipientRefusedBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient (its error names the address)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({NOTIFIED: (550, b"5.1.1 unknown user " + NOTIFIED.encode())})


REFUSED = "tests.test_review_mail_notifications.RecipientRefusedBackend"


@pytest.fixture
def dossier(make_qf_page, make_submission):
    page = make_qf_page(title="QF Cesson", notification_email=NOTIFIED)
    return make_submission(page, email="paul.dupont@example.org")


def test_the_agents_notification_is_in_the_site_language_not_the_citizen_s(dossier):
    # The immediate backend runs it in the citizen's request, whose language may be English.
    with translation.override("en"):
        notifications.notify_new_submission.call(dossier.pk)
        notifications.notify_complement_received.call(dossier.pk)
    new, complement = mail.outbox
    assert new.subject == "Nouveau dossier de quotient familial – QF Cesson"
    assert complement.subject.startswith("Compléments reçus pour un dossier de quotient familial")
    assert "Consultez-le dans l'administration du site" in new.body


def test_the_notification_carries_no_personal_data(dossier):
    notifications.notify_new_submission.call(dossier.pk)
    (email,) = mail.outbox
    for personal in (dossier.family_name, dossier.given_names, dossier.email, dossier.reference, "QF :"):
        assert personal not in email.subject and personal not in email.body
    assert email.to == [NOTIFIED]
    assert email.extra_headers.get("Auto-Submitted") == "auto-generated"


def test_a_refused_notification_is_logged_without_the_address_and_raises_nothing(dossier, caplog):
    caplog.set_level(logging.INFO)
    with override_settings(EMAIL_BACKEND=REFUSED):
        notifications.notify_new_submission.call(dossier.pk)  # does not raise
    assert "notification not sent" in caplog.text
    assert NOTIFIED not in caplog.text and dossier.email not in caplog.text


def test_without_admin_base_url_the_link_is_on_the_page_s_site(dossier, settings):
    del settings.WAGTAILADMIN_BASE_URL
    notifications.notify_new_submission.call(dossier.pk)
    (email,) = mail.outbox
    assert "http://localhost/admin/" in email.body


def test_the_link_is_on_the_admin_base_url(dossier, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://qf.mairie-cesson.test"
    notifications.notify_new_submission.call(dossier.pk)
    (email,) = mail.outbox
    assert "https://qf.mairie-cesson.test/admin/" in email.body


def test_a_page_title_with_a_line_break_makes_a_one_line_subject(dossier):
    page = dossier.page.specific
    type(page).objects.filter(pk=page.pk).update(title="QF Cesson\nBcc: victime@example.org")
    notifications.notify_new_submission.call(dossier.pk)
    (email,) = mail.outbox
    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.bcc == []
