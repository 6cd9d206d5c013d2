"""Review (mail): the e-mailed link to « Suivre ma demande » (``journey.follow_up``, templates
``wagtail_qf/emails/<language>/follow_up_link*``): on the page's site whatever Host the request
names, in the page's language, the commune named, no personal data."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Locale

pytestmark = pytest.mark.django_db

FAMILY = "famille.dupont@example.org"


@pytest.fixture
def page(make_qf_page, make_submission):
    page = make_qf_page(slug="qf-lien", title="QF Cesson", commune_name="Cesson-Sévigné")
    make_submission(page, without_franceconnect=True, email=FAMILY)
    return page


def ask(client, page, capture, **headers):
    with capture(execute=True):
        return client.post(
            urlsplit(page.url).path + "suivi/", {"action": "courriel", "email": FAMILY}, **headers
        )


def test_the_link_is_on_the_page_s_site_not_the_request_s_host(
    client, page, settings, django_capture_on_commit_callbacks
):
    # A Host the site answers to (ALLOWED_HOSTS) but that is not the page's site's.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "attaquant.test"]
    response = ask(client, page, django_capture_on_commit_callbacks, HTTP_HOST="attaquant.test")
    assert response.status_code == 200
    (email,) = mail.outbox
    links = re.findall(r"https?://[^\s\"<]+", email.body + email.alternatives[0][0])
    assert links and all(urlsplit(link).netloc == "localhost" for link in links)
    assert "attaquant" not in email.body and "attaquant" not in email.alternatives[0][0]


def test_the_link_email_names_the_commune_and_no_personal_data(
    client, page, django_capture_on_commit_callbacks
):
    ask(client, page, django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    html = email.alternatives[0][0]
    assert "Cesson-Sévigné" in email.body and "Cesson-Sévigné" in html
    for personal in ("DUPONT", "Paul", FAMILY):
        assert personal not in email.subject and personal not in email.body and personal not in html
    assert '<html lang="fr">' in html and email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_link_email_is_in_the_page_s_language_when_not_written_in_the_one_asked_in(client, page):
    """A link asked in a language the e-mail is not written in: the page's language."""
    from wagtail_qf.journey.follow_up import send_follow_up_link
    from wagtail_qf.models import FollowUpLink

    page.locale = Locale.objects.get_or_create(language_code="en")[0]
    page.save()
    link = FollowUpLink.objects.create(
        page=page,
        submissions=list(page.qf_submissions.values_list("pk", flat=True)),
        expires_at=timezone.now(),
    )
    assert send_follow_up_link.call(link.pk, "de")
    (email,) = mail.outbox
    assert email.subject == "Your link to follow your request – QF Cesson"
    assert '<html lang="en">' in email.alternatives[0][0] and email.body.startswith("Hello,")


def test_the_link_email_is_in_the_language_the_person_asked_in(
    client, page, django_capture_on_commit_callbacks
):
    """A family reading the (French) page in English asks for its link: the e-mail it waits for
    comes in English, the language it just read the page in."""
    ask(client, page, django_capture_on_commit_callbacks, HTTP_ACCEPT_LANGUAGE="en")
    (email,) = mail.outbox
    assert email.subject == "Your link to follow your request – QF Cesson"
    assert '<html lang="en">' in email.alternatives[0][0]


def test_a_double_click_on_the_link_request_sends_one_link(client, page, django_capture_on_commit_callbacks):
    """The same request twice in a row (a double click, the browser's « send again »): one e-mail;
    the first link, just sent, is the one to use."""
    ask(client, page, django_capture_on_commit_callbacks)
    second = ask(client, page, django_capture_on_commit_callbacks)
    assert second.status_code == 200 and "lien" in second.content.decode()
    assert len(mail.outbox) == 1
