"""Retention: personal data leaves the dossiers after the page's period."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wagtail_qf.dossiers import history
from wagtail_qf.dossiers.retention import expired, purge
from wagtail_qf.models import Submission
from wagtail_qf.tasks import purge_expired_submissions

from .factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def dossier(page, days_ago, status="new", **fields):
    """A dossier transmitted (and last changed) ``days_ago`` days ago."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    fields.setdefault("raw_response", {"quotient_familial": {"valeur": 1234}})
    submission = SubmissionFactory(page=page, status=status, submitted_at=moment, **fields)
    Submission.objects.filter(pk=submission.pk).update(updated_at=moment)  # ``auto_now`` otherwise
    return submission


def test_page_retention_and_default(make_qf_page, admin_user):
    short = make_qf_page(slug="court", retention_days=30)
    default = make_qf_page(slug="defaut")
    old_short = dossier(short, 31)
    young_short = dossier(short, 29)
    old_default = dossier(default, 366)
    young_default = dossier(default, 100)
    history.add_comment(old_short, admin_user, "Famille DUPONT, appel du 3 mars")
    history.change_status(old_short, "done", admin_user, "Vu avec M. DUPONT")

    with override_settings(WAGTAIL_QF={"DEFAULT_RETENTION_DAYS": 365}):
        assert set(expired()) == {old_short, old_default}
        assert purge() == 2
        assert purge() == 0  # idempotent

    for kept in (young_short, young_default):
        kept.refresh_from_db()
        assert kept.family_name == "DUPONT" and kept.anonymised_at is None
    for gone in (old_short, old_default):
        gone.refresh_from_db()
        assert gone.anonymised_at is not None
        assert (gone.family_name, gone.given_names, gone.birthdate, gone.qf_value) == ("", "", None, None)
        assert gone.children == [] and gone.raw_response == {}
        # Statistics survive.
        assert gone.page_id and gone.qf_provider == "CNAF" and gone.qf_month == 11
    entries = list(history.entries(old_short))
    assert all("DUPONT" not in str(entry.data) for entry in entries)
    status_entry = next(e for e in entries if e.action == history.STATUS)
    assert status_entry.data["new"] == "done"


def test_closed_dossiers_can_go_earlier(make_qf_page):
    page = make_qf_page(closed_retention_days=7)
    closed = dossier(page, 10, status="closed")
    refused = dossier(page, 10, status="refused")
    open_ = dossier(page, 10, status="in_progress")
    assert purge() == 2
    open_.refresh_from_db()
    assert open_.anonymised_at is None
    closed.refresh_from_db()
    refused.refresh_from_db()
    assert closed.anonymised_at and refused.anonymised_at


def test_command_and_task(make_qf_page, capsys):
    page = make_qf_page(retention_days=1)
    dossier(page, 5)
    call_command("qf_purge", "--dry-run")
    assert "1 dossier(s) à anonymiser" in capsys.readouterr().out
    result = purge_expired_submissions.enqueue()
    assert result.return_value == 1
    assert Submission.objects.get().anonymised_at is not None


def test_purge_erases_the_contact_address_and_declared_children(make_qf_page):
    page = make_qf_page(retention_days=30)
    old = dossier(
        page,
        31,
        email="famille.dupont@example.org",
        declared_children=[{"prenoms": "JEAN", "date_naissance": "2015-02-01", "matched": False}],
    )

    assert purge() == 1

    old.refresh_from_db()
    assert (old.email, old.declared_children) == ("", [])


def aged(submission, submitted_days_ago, updated_days_ago, now):
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=now - datetime.timedelta(days=submitted_days_ago),
        updated_at=now - datetime.timedelta(days=updated_days_ago),
    )
    return submission


def test_a_closed_dossier_is_purged_only_after_its_own_page_closed_period(make_qf_page):
    now = timezone.now()
    week = make_qf_page(slug="semaine", closed_retention_days=7)
    month = make_qf_page(slug="mois", closed_retention_days=30)
    unset = make_qf_page(slug="sans-delai")
    gone = aged(dossier(week, 0, status="closed"), 100, 8, now)
    young = aged(dossier(week, 1, status="closed"), 100, 6, now)  # closed 6 days ago: never early
    just_closed = aged(
        dossier(week, 2, status="refused"), 100, 1, now
    )  # submitted long ago, refused yesterday
    other_page = aged(
        dossier(month, 0, status="closed"), 100, 8, now
    )  # the week page's period is not its own
    no_period = aged(dossier(unset, 0, status="closed"), 100, 8, now)

    assert set(expired(now)) == {gone}
    assert purge(now) == 1

    for kept in (young, just_closed, other_page, no_period):
        kept.refresh_from_db()
        assert (kept.anonymised_at, kept.family_name) == (None, "DUPONT")
    # The month page's own period does apply, once over.
    assert set(expired(now + datetime.timedelta(days=23))) == {young, just_closed, other_page}


def test_the_closed_period_counts_from_the_closing_at_the_exact_boundary(make_qf_page):
    now = timezone.now()
    page = make_qf_page(closed_retention_days=7)
    boundary = aged(dossier(page, 0, status="closed"), 30, 7, now)
    assert list(expired(now)) == []
    assert list(expired(now + datetime.timedelta(seconds=1))) == [boundary]


def test_every_personal_field_is_erased(make_qf_page):
    page = make_qf_page(retention_days=30)
    old = dossier(
        page,
        31,
        usage_name="MARTIN",
        gender="male",
        birthplace="75107",
        birthcountry="99100",
        allocataires=[{"nom_naissance": "DUPONT"}],
        address={"pays": "FRANCE"},
        external_id="hubee-1",
        email="famille.dupont@example.org",
        declared_children=[{"prenoms": "JEAN"}],
    )

    purge()

    values = (
        Submission.objects.filter(pk=old.pk)
        .values(
            "family_name",
            "given_names",
            "usage_name",
            "birthdate",
            "gender",
            "birthplace",
            "birthcountry",
            "qf_value",
            "allocataires",
            "children",
            "address",
            "raw_response",
            "external_id",
            "email",
            "declared_children",
        )
        .get()
    )
    assert values == {
        "family_name": "",
        "given_names": "",
        "usage_name": "",
        "birthdate": None,
        "gender": "",
        "birthplace": "",
        "birthcountry": "",
        "qf_value": None,
        "allocataires": [],
        "children": [],
        "address": None,
        "raw_response": {},
        "external_id": "",
        "email": "",
        "declared_children": [],
    }


def test_only_the_purged_dossiers_lose_their_comments(make_qf_page, admin_user):
    page = make_qf_page(retention_days=30)
    old, young = dossier(page, 31), dossier(page, 5)
    for submission in (old, young):
        history.add_comment(submission, admin_user, "Famille DUPONT, appel du 3 mars")
        history.change_status(submission, "done", admin_user, "Vu avec M. DUPONT")

    purge()

    assert all("DUPONT" not in str(entry.data) for entry in history.entries(old))
    kept = {entry.action: entry.data for entry in history.entries(young)}
    assert kept[history.COMMENT] == {"comment": "Famille DUPONT, appel du 3 mars"}
    assert kept[history.STATUS]["message"] == "Vu avec M. DUPONT"


def test_purge_works_in_batches_of_the_given_size(make_qf_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = make_qf_page(retention_days=30)
    for days in range(31, 36):
        dossier(page, days)
    table = Submission._meta.db_table

    with CaptureQueriesContext(connection) as queries:
        assert purge(batch_size=2) == 5

    updates = [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert len(updates) == 3  # 2 + 2 + 1
    assert not Submission.objects.filter(anonymised_at__isnull=True).exists()


def test_a_batch_that_fails_half_way_erases_nothing(make_qf_page, admin_user):
    """Anonymising a dossier and cleaning its history happen together or not at all."""
    from django.db.models.signals import post_save

    from wagtail_qf.models import DossierLogEntry

    page = make_qf_page(retention_days=30)
    old = dossier(page, 31)
    history.add_comment(old, admin_user, "Famille DUPONT, appel du 3 mars")
    history.change_status(old, "done", admin_user, "Vu avec M. DUPONT")

    def fail(**kwargs):
        raise RuntimeError("database went away")

    post_save.connect(fail, sender=DossierLogEntry)
    try:
        with pytest.raises(RuntimeError):
            purge()
    finally:
        post_save.disconnect(fail, sender=DossierLogEntry)

    old.refresh_from_db()
    assert (old.anonymised_at, old.family_name) == (None, "DUPONT")
    comment = next(e for e in history.entries(old) if e.action == history.COMMENT)
    assert comment.data == {"comment": "Famille DUPONT, appel du 3 mars"}


def test_purge_renews_the_version_of_the_cached_inbox_counts(make_qf_page):
    """The purge's bulk update is seen by the database's trigger: no call of its own."""
    from wagtail_qf.dossiers import counts

    page = make_qf_page(retention_days=30)
    dossier(page, 31)
    before = counts.version()
    purge()
    assert counts.version() != before
    after = counts.version()
    purge()  # nothing to purge: nothing changed
    assert counts.version() == after


def test_nothing_left_names_the_family_after_the_purge(make_qf_page):
    """The fields the first test leaves aside: what the family's tax and crèche answers said, the
    address's origin, the follow-up key and the names the inbox searches."""
    from wagtail_qf.models import follow_up_key

    page = make_qf_page(retention_days=30)
    old = dossier(
        page,
        31,
        email="famille.dupont@example.org",
        email_origin="franceconnect",
        follow_up_key=follow_up_key("sub-dupont"),
        tax_data={"revenu_fiscal_de_reference": 31000},
        eaje_data={"nom": "DUPONT"},
    )
    assert "dupont" in old.search_text

    assert purge() == 1

    values = Submission.objects.filter(pk=old.pk).values(
        "email_origin", "follow_up_key", "tax_data", "eaje_data", "search_text", "reference"
    )
    assert values.get() == {
        "email_origin": "",
        "follow_up_key": "",
        "tax_data": {},  # none of the data; the statistics still count a dossier with tax data
        "eaje_data": None,
        "search_text": "",
        "reference": old.reference,  # the agents still find the dossier by its reference
    }


def test_the_follow_up_links_past_their_time_go_and_the_others_stay(make_qf_page):
    from wagtail_qf.models import FollowUpLink

    now = timezone.now()
    page = make_qf_page()
    past = FollowUpLink.objects.create(
        page=page, token_hash="a" * 64, expires_at=now - datetime.timedelta(seconds=1)
    )
    live = FollowUpLink.objects.create(
        page=page, token_hash="b" * 64, expires_at=now + datetime.timedelta(hours=1)
    )

    assert purge(now) == 0  # no dossier to anonymise: the links go all the same

    assert list(FollowUpLink.objects.all()) == [live]
    assert not FollowUpLink.objects.filter(pk=past.pk).exists()


def test_what_a_sites_own_dossier_class_adds_is_erased_only_on_the_purged_dossiers(home_page):
    """A site's multi-table submission class (``get_submission_class``) may name the family too."""
    from .factories import SubmissionFactory, TownHallQFPageFactory
    from .testapp.models import TownHallSubmission

    class TownHallSubmissionFactory(SubmissionFactory):
        class Meta:
            model = TownHallSubmission

    town_hall = TownHallQFPageFactory(parent=home_page)  # 30 days
    moment = timezone.now() - datetime.timedelta(days=31)
    old = TownHallSubmissionFactory(page=town_hall, submitted_at=moment, school="École Jules-Ferry")
    young = TownHallSubmissionFactory(page=town_hall, school="École Jules-Ferry")

    assert purge() == 1

    schools = dict(TownHallSubmission.objects.values_list("pk", "school"))
    assert schools == {old.pk: "", young.pk: "École Jules-Ferry"}
