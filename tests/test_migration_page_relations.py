"""Migration 0009: brackets, served communes and editor tokens move to the Page model, data kept."""

import pytest
from django.db import connection

from tests.migrating import latest, migrate
from wagtail_qf.models import EditorToken, ServedCommune, TariffBracket

BEFORE = ("wagtail_qf", "0008_counter_triggers")


def columns(table):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_migration_to_page_relations_keeps_brackets_communes_and_tokens(make_qf_page):
    page = make_qf_page()
    TariffBracket.objects.create(page=page, label="A", qf_min=0, qf_max=400, sort_order=0)
    ServedCommune.objects.create(page=page, cog="35024", name="Betton", postcode="35830", sort_order=0)
    old_apps = migrate(BEFORE)
    assert "qftransmissionpage_id" in columns("wagtail_qf_editortoken_pages")
    OldToken = old_apps.get_model("wagtail_qf", "EditorToken")
    old_token = OldToken.objects.create(name="Éditeur X", token_hash="h" * 64, token_prefix="qfe_abcdefgh")
    old_token.pages.add(old_apps.get_model("wagtail_qf", "QFTransmissionPage").objects.get(pk=page.pk))

    migrate(latest())

    assert "page_id" in columns("wagtail_qf_editortoken_pages")
    assert list(TariffBracket.objects.values_list("page_id", "label")) == [(page.pk, "A")]
    assert list(ServedCommune.objects.values_list("page_id", "cog")) == [(page.pk, "35024")]
    assert list(EditorToken.objects.get(pk=old_token.pk).pages.values_list("pk", flat=True)) == [page.pk]
    assert [t.pk for t in page.editor_tokens.all()] == [old_token.pk]
