"""Placeholder: documents of a dossier (issue 18): the family's complements and the agent's attachments."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0008_follow_up_access")]

    operations = []
