"""Retention: personal data leaves the dossiers after the page's period."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wagtail_qf.admin import history
from wagtail_qf.models import Submission
from wagtail_qf.retention import expired, purge
from wagtail_qf.tasks import purge_expired_submissions

pytestmark = pytest.mark.django_db


def dossier(page, days_ago, status="new", **fields):
    values = dict(page=page, submission_token=f"r{page.pk}-{days_ago}-{status}", family_name="DUPONT",
                  given_names="Paul", birthdate=datetime.date(1980, 6, 15), qf_value=1234,
                  qf_provider="CNAF", qf_year=2025, qf_month=1, status=status,
                  children=[{"prenoms": "JEAN"}], raw_response={"quotient_familial": {"valeur": 1234}})  # fmt: skip
    values.update(fields)
    submission = Submission.objects.create(**values)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=moment, updated_at=moment)
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
        assert gone.page_id and gone.qf_provider == "CNAF" and gone.qf_month == 1
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
    old = dossier(page, 31, email="famille.dupont@example.org",
                  declared_children=[{"prenoms": "JEAN", "date_naissance": "2015-02-01", "matched": False}])

    assert purge() == 1

    old.refresh_from_db()
    assert (old.email, old.declared_children) == ("", [])
