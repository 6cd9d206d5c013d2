"""Migration 0010: dossier and export entries move from Wagtail's generic log model to the dossiers' own."""

import pytest
from wagtail.models import ModelLogEntry

from tests.migrating import latest, migrate
from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry

BEFORE = ("wagtail_qf", "0009_page_type_relations")


@pytest.mark.django_db(transaction=True)
def test_migration_moves_dossier_entries_and_leaves_the_others(make_submission, qf_page):
    dossier = make_submission(qf_page)
    old_apps = migrate(BEFORE)
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Generic = old_apps.get_model("wagtailcore", "ModelLogEntry")
    dossier_type = ContentType.objects.get(app_label="wagtail_qf", model="submission")
    user_type = ContentType.objects.get(app_label="auth", model="user")
    Generic.objects.create(
        content_type=dossier_type,
        object_id=str(dossier.pk),
        label=dossier.reference,
        action=history.COMMENT,
        data={"comment": "à rappeler"},
        timestamp=dossier.submitted_at,
    )
    Generic.objects.create(
        content_type=user_type,
        object_id="1",
        label="autre",
        action="wagtail.edit",
        timestamp=dossier.submitted_at,
    )

    migrate(latest())

    moved = DossierLogEntry.objects.filter(object_id=str(dossier.pk), action=history.COMMENT).get()
    assert moved.data == {"comment": "à rappeler"}
    assert moved.label == dossier.reference
    assert not ModelLogEntry.objects.filter(content_type=dossier_type.pk).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.edit", label="autre").exists()
