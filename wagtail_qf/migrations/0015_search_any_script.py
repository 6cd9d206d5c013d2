"""The dossiers' search text made again with the words of ``models.search`` as they now are: names in
any script, letters without decomposition (« Đ », « Ł », « ı », « ẞ ») folded, invisible characters
left out without cutting a word. Anonymised dossiers keep their empty text. No schema change."""

from django.db import migrations

from wagtail_qf.models.search import search_text

BATCH = 2000


def refill_search_text(apps, schema_editor):
    """A batch at a time; only the rows whose text changes are written."""
    Submission = apps.get_model("wagtail_qf", "Submission")
    rows = Submission.objects.using(schema_editor.connection.alias).filter(anonymised_at__isnull=True)
    last = 0
    while batch := list(rows.filter(pk__gt=last).order_by("pk")[:BATCH]):
        changed = []
        for row in batch:
            text = search_text(row)
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
        Submission.objects.using(schema_editor.connection.alias).bulk_update(changed, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0014_export_record")]

    operations = [migrations.RunPython(refill_search_text, migrations.RunPython.noop, elidable=True)]
