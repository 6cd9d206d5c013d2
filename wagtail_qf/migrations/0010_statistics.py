"""Placeholder: statistics and supervision (issue 19): funnel and upstream-failure counts, no personal data."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0009_documents")]

    operations = []
