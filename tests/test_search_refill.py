"""Migration 0015: the search text of the dossiers already there is made again with today's words,
so that a name written with letters the earlier words lost (« Łukasz », « Đỗ ») is found."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from wagtail_qf.dossiers.search import matching
from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db

refill = import_module("wagtail_qf.migrations.0015_search_any_script").refill_search_text


class Editor:
    connection = connection


def test_the_dossiers_already_there_are_found_by_their_names_in_any_letters(make_qf_page, make_submission):
    page = make_qf_page()
    dossier = make_submission(page, family_name="ŁUKASZEWSKI", given_names="Đỗ")
    anonymised = make_submission(page, family_name="ŁUKASZEWSKI", given_names="Anne")
    Submission.objects.filter(pk=dossier.pk).update(search_text=" ukaszewski")  # as the earlier words made it
    Submission.objects.filter(pk=anonymised.pk).update(search_text="", anonymised_at="2026-01-01T00:00Z")
    assert not matching(Submission.objects.all(), "lukaszewski do").exists()

    refill(apps, Editor())

    assert list(matching(Submission.objects.all(), "lukaszewski do")) == [dossier]
    assert Submission.objects.get(pk=anonymised.pk).search_text == ""
