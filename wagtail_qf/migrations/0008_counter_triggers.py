from django.db import migrations

from wagtail_qf.dossiers import triggers as counter_triggers


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0007_serves_several_communes")]

    operations = [migrations.RunPython(counter_triggers.create, counter_triggers.drop)]
