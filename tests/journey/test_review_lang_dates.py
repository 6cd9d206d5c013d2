"""Moments written to the family, in French and in English: a date as the dates of birth are
written (« 1er décembre 2026 », « 1 December 2026 »), a time of day as the time-limit notice
writes it (« 9 h 30 », « 9:30 »), on the follow-up page and in the follow-up link's e-mail."""

import datetime
import re
import time
from html import unescape

import pytest
from django.utils import timezone, translation

from wagtail_qf.formatting import moment_text as qf_datetime
from wagtail_qf.journey.follow_up import _link_email
from wagtail_qf.journey.timeout import clock

from ..follow_up.test_follow_up_complements import open_follow_up

pytestmark = pytest.mark.django_db

FIRST_OF_DECEMBER = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC)  # 9 h 30 in Paris
NBSP = "\xa0"


@pytest.fixture
def followed(client, qf_page, make_submission):
    """A family's dossier opened on the follow-up page, its access ending in ten minutes."""
    dossier = make_submission(qf_page, email="famille@example.org")
    open_follow_up(client, qf_page, dossier)
    session = client.session
    ends = time.time() + 600
    session["wagtail_qf_follow_up"][str(qf_page.pk)]["expires_at"] = ends
    session.save()
    return dossier, ends


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_follow_up_page_writes_the_end_of_its_access_as_the_time_limit_notice(client, qf_page, followed):
    _dossier, ends = followed
    html = client.get(qf_page.url + "suivi/").content.decode()
    assert f"votre accès au suivi prend fin à {clock(ends).replace(' ', NBSP)} ;" in unescape(html)


def test_the_follow_up_link_email_writes_the_first_of_the_month_as_french_does(qf_page):
    email = _link_email(
        qf_page, "famille@example.org", "https://example.org/suivi/?lien=x", FIRST_OF_DECEMBER
    )
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert f"expire le 1er décembre 2026 à 9{NBSP}h{NBSP}30." in body


def test_a_moment_is_a_date_and_a_time_written_as_elsewhere():
    moment = timezone.localtime(FIRST_OF_DECEMBER)
    assert qf_datetime(moment) == f"1er décembre 2026 à 9{NBSP}h{NBSP}30"
    with translation.override("en"):
        english = qf_datetime(moment)
    # the date as the dates of birth (« 15 June 1980 »), the time as the time-limit notice (« 9:30 »)
    assert english.startswith("1 December 2026 ") and english.endswith(" 9:30"), english


def test_the_english_follow_up_page_writes_dates_and_times_one_way(client, qf_page, followed):
    dossier, ends = followed
    client.cookies["django_language"] = "en"
    text = text_of(client.get(qf_page.url + "suivi/"))
    sent = timezone.localtime(dossier.submitted_at)
    assert f"{sent.day} {sent:%B} {sent.year}" in text  # « 30 November 2026 », as the dates of birth
    assert "a.m." not in text and "p.m." not in text  # the 24-hour clock of the access's end
    with translation.override("en"):
        assert f"ends at {clock(ends).replace(' ', NBSP)}" in text


def test_the_english_follow_up_page_says_at_between_the_date_and_the_time(client, qf_page, followed):
    """Needs the English catalogue refreshed: « %(date)s à %(time)s » → « %(date)s at %(time)s »."""
    dossier, _ends = followed
    client.cookies["django_language"] = "en"
    text = text_of(client.get(qf_page.url + "suivi/"))
    sent = timezone.localtime(dossier.submitted_at)
    with translation.override("en"):
        assert f"{sent.day} {sent:%B} {sent.year} at {clock(sent.timestamp())}" in text
