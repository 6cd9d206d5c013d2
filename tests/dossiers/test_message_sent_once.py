"""A message typed once is sent once, whatever reaches the domain twice (a double click whose two
requests both passed the page's check, the browser's « send again »): the form's ``sending`` is
checked where the message is written, under a lock on the dossier."""

import pytest

from wagtail_qf.dossiers import history, messages
from wagtail_qf.models import DossierLogEntry

pytestmark = pytest.mark.django_db


def test_the_same_form_reaching_the_domain_twice_writes_once(make_submission, two_communes, admin_user):
    dossier = make_submission(two_communes[1], email="famille@example.org")
    sending = "5a0d3b4e-8f57-4c8e-9d07-2f1f4f6f8a01"
    first = messages.send_message(dossier, admin_user, "Pièce reçue.", sending=sending)
    second = messages.send_message(dossier, admin_user, "Pièce reçue.", sending=sending)
    assert (first, second) == (messages.QUEUED, messages.ALREADY_SENT)
    assert DossierLogEntry.objects.for_instance(dossier).filter(action=history.MESSAGE).count() == 1


def test_two_forms_send_two_messages(make_submission, two_communes, admin_user):
    dossier = make_submission(two_communes[1], email="famille@example.org")
    for sending in ("5a0d3b4e-8f57-4c8e-9d07-2f1f4f6f8a01", "6b1e4c5f-9a68-4d9f-8e18-3a2a5a7a9b12"):
        assert messages.send_message(dossier, admin_user, "Bonjour.", sending=sending) == messages.QUEUED
    assert DossierLogEntry.objects.for_instance(dossier).filter(action=history.MESSAGE).count() == 2
