"""Placeholder: the follow-up page (issue 18): who may see which dossier again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0007_editors_dropin")]

    operations = []
