"""Review (mail): the e-mails to the family (``dossiers.messages``, templates
``wagtail_qf/emails/<language>/family_message*``): what they say, in which language, escaped,
and what becomes of a sending that cannot go."""

import logging
import re

import pytest
from django.core import mail
from django.utils import translation
from wagtail.models import Locale, Page

from wagtail_qf.dossiers import history, messages
from wagtail_qf.models import DossierLogEntry

pytestmark = pytest.mark.django_db

FAMILY = "paul.dupont@example.org"
MESSAGE = "Merci d'envoyer l'attestation de la CAF de mars."


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(slug="qf-mail", title="QF Cesson", commune_name="Cesson-Sévigné")


@pytest.fixture
def dossier(page, make_submission):
    return make_submission(page, email=FAMILY, status="received")


def entries(submission):
    return list(DossierLogEntry.objects.for_instance(submission).filter(action=history.MESSAGE))


def html_text(html: str) -> str:
    """The words of an HTML part, as a reader hears them."""
    body = re.search(r"<body>(.*)</body>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_an_unexpected_error_is_recorded_as_failed_never_left_queued(admin_user, dossier, caplog):
    """An address that cannot go in a header (or a site's broken template): the agent sees that the
    e-mail did not go, and the log does not name the address."""
    type(dossier).objects.filter(pk=dossier.pk).update(email=FAMILY + "\nBcc: autre@example.org")
    caplog.set_level(logging.INFO)
    log_entry = history.log(
        dossier, history.MESSAGE, user=admin_user, data={"message": MESSAGE, "state": "queued"}
    )
    assert messages.deliver_family_email.call(log_entry.pk) is False
    log_entry.refresh_from_db()
    assert log_entry.data["state"] == "failed" and log_entry.data["error"] == "BadHeaderError"
    assert not mail.outbox
    assert FAMILY not in caplog.text


def test_the_notice_names_the_commune_in_both_parts(dossier, page):
    email = messages.build_email(dossier, {"notice": True, "status": "done"})
    assert "Cesson-Sévigné" in email.body
    assert "Cesson-Sévigné" in html_text(email.alternatives[0][0])


def test_what_the_agent_typed_is_escaped_in_the_html_part(dossier, page):
    typed = '<script>alert(1)</script> <a href="https://phishing.test">ici</a>\nSecond line'
    type(page).objects.filter(pk=page.pk).update(title='QF <b onmouseover="x">Cesson</b>')
    dossier.refresh_from_db()
    email = messages.build_email(dossier, {"message": typed})
    html = email.alternatives[0][0]
    assert "<script>" not in html and '<a href="https://phishing.test"' not in html
    assert "&lt;script&gt;" in html and "<b onmouseover" not in html
    assert "Second line" in html and "<br>" in html
    assert typed in email.body  # the text part keeps it as typed
    assert "\n" not in email.subject


def test_without_a_page_address_the_text_part_has_no_dangling_link(dossier, page):
    # A page out of every site: Wagtail gives it no URL.
    root = Page.get_first_root_node()
    page.move(root, pos="last-child")
    dossier.refresh_from_db()
    email = messages.build_email(dossier, {"message": MESSAGE})
    assert "Pour suivre votre demande" not in email.body
    assert "Pour suivre votre demande" not in email.alternatives[0][0]


def test_the_follow_up_link_only_when_the_family_can_open_it(dossier, page, make_submission):
    """A dossier typed without FranceConnect, on a page that sends no link by e-mail: the follow-up
    page has no way in for it (no FranceConnect key, no link)."""
    page.follow_up_by_email = False
    page.save()
    typed = make_submission(page, without_franceconnect=True, email=FAMILY)
    email = messages.build_email(typed, {"message": MESSAGE})
    assert "suivi/" not in email.body and "suivi/" not in email.alternatives[0][0]
    # With FranceConnect, its login opens it.
    dossier.follow_up_key = "k" * 64
    dossier.save()
    assert "suivi/" in messages.build_email(dossier, {"message": MESSAGE}).body


def test_html_and_text_parts_say_the_same(dossier):
    for data in (
        {"message": MESSAGE, "status": "awaiting"},
        {"message": MESSAGE},
        {"notice": True, "status": "done"},
    ):
        email = messages.build_email(dossier, data)
        text = " ".join(email.body.replace("Message :", "Message").split())
        words = html_text(email.alternatives[0][0])
        for sentence in ("Bonjour,", "Pour toute question", "merci de ne pas y répondre", dossier.reference):
            assert sentence in text and sentence in words


def test_an_english_page_gives_an_english_email_whatever_the_agent_reads(dossier, page, admin_user):
    page.locale = Locale.objects.get_or_create(language_code="en")[0]
    page.save()
    with translation.override("fr"):  # the agent's admin
        email = messages.build_email(dossier, {"message": MESSAGE, "status": "awaiting"})
    html = email.alternatives[0][0]
    assert '<html lang="en">' in html
    assert "Hello," in email.body and "whose status is now" in email.body
    assert "En attente" not in email.body  # the status in English too


def test_a_page_language_without_templates_writes_all_in_french(dossier, page):
    page.locale = Locale.objects.get_or_create(language_code="de")[0]
    page.save()
    email = messages.build_email(dossier, {"message": MESSAGE, "status": "awaiting"})
    assert '<html lang="fr">' in email.alternatives[0][0]
    assert "Bonjour," in email.body


# -- a dossier without address: the message is kept, marked not sent ---------------------------
def test_a_message_alone_to_a_dossier_without_address_stays_on_it(
    client, page, make_submission, make_agent, home_page, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    nowhere = make_submission(page)  # FranceConnect gave no address
    client.force_login(make_agent("sandrine", home_page))
    url = reverse("wagtail_qf_submissions:inspect", args=[nowhere.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": MESSAGE, "send_message": ""}, follow=True)
    assert "Aucune adresse électronique n&#x27;est connue pour ce dossier" in response.content.decode()
    assert not mail.outbox
    (entry,) = entries(nowhere)
    assert (entry.data["message"], entry.data["state"], entry.data["error"]) == (
        MESSAGE,
        "failed",
        "no_address",
    )
    # The history says it went nowhere.
    assert "(courriel : échec de l&#x27;envoi)" in response.content.decode()


def test_a_bulk_change_with_a_message_keeps_it_on_the_dossiers_without_address(
    page, make_submission, admin_user, django_capture_on_commit_callbacks
):
    from wagtail_qf.models import Submission

    reachable = make_submission(page, email=FAMILY)
    nowhere = make_submission(page)
    gone = make_submission(page)
    Submission.objects.filter(pk=gone.pk).update(anonymised_at="2026-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        history.change_status_many(Submission.objects.filter(page=page), "awaiting", admin_user, MESSAGE)
    assert [email.to for email in mail.outbox] == [[FAMILY]]
    assert [e.data["state"] for e in entries(reachable)] == ["sent"]
    assert [(e.data["state"], e.data["error"], e.data["message"]) for e in entries(nowhere)] == [
        ("failed", "no_address", MESSAGE)
    ]
    assert entries(gone) == []  # its personal data are gone: nothing kept for it


def test_a_notice_to_a_dossier_without_address_keeps_nothing(page, make_submission, admin_user):
    page.notify_status_changes = True
    page.save()
    nowhere = make_submission(page)
    assert history.change_status(nowhere, "done", admin_user) == messages.NO_ADDRESS
    assert entries(nowhere) == []


def test_the_email_is_in_the_language_the_family_transmitted_in(dossier, page):
    """An English-speaking family on a French page (the journey follows the browser's language):
    its history's first line keeps the language it transmitted in."""
    history.log(dossier, history.TRANSMISSION, data={"source": dossier.source, "language": "en-gb"})
    with translation.override("fr"):  # the agent's admin
        email = messages.build_email(dossier, {"message": MESSAGE, "status": "awaiting"})
    assert email.subject.startswith("A message about your request")
    assert '<html lang="en">' in email.alternatives[0][0]
    assert "Hello," in email.body and "whose status is now: Awaiting additional information" in email.body


def test_a_transmission_without_language_gives_the_page_s(dossier):
    history.log(dossier, history.TRANSMISSION, data={"source": dossier.source, "language": "../../x"})
    email = messages.build_email(dossier, {"message": MESSAGE})
    assert email.body.startswith("Bonjour,")


@pytest.mark.parametrize(
    ("source", "english"), [("franceconnect", True), ("identity", True), ("counter", False)]
)
def test_the_transmission_keeps_the_language_of_the_journey(dossier, source, english):
    """The journey follows the browser's language: the transmission's history line keeps it, so the
    commune's e-mails reach the family in it. At the counter the language is the agent's admin's,
    not the family's: the page's language then."""
    type(dossier).objects.filter(pk=dossier.pk).update(source=source)
    dossier.refresh_from_db()
    with translation.override("en"):
        history.record_transmission(dossier)
    with translation.override("fr"):  # the agent's admin
        email = messages.build_email(dossier, {"message": MESSAGE, "status": "awaiting"})
    assert email.body.startswith("Hello,") is english
