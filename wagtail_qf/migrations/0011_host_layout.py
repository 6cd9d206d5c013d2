"""Placeholder: the host's layout and the opinion button (issue 20)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0010_statistics")]

    operations = []
