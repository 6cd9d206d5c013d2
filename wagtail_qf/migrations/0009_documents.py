"""Documents of a dossier (issue 18): the family's complements and the agent's attachments.

A new table only: the submission table and its counting triggers are untouched."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import wagtail_qf.models.documents


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0008_follow_up_access"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "author",
                    models.CharField(
                        choices=[("family", "la famille"), ("agent", "un agent")],
                        max_length=10,
                        verbose_name="déposé par",
                    ),
                ),
                ("original_name", models.CharField(max_length=120, verbose_name="nom du fichier")),
                ("content_type", models.CharField(max_length=50, verbose_name="type")),
                ("size", models.PositiveIntegerField(verbose_name="taille (octets)")),
                ("sha256", models.CharField(max_length=64, verbose_name="empreinte SHA-256")),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=wagtail_qf.models.documents.documents_storage,
                        upload_to=wagtail_qf.models.documents.document_path,
                        verbose_name="fichier",
                    ),
                ),
                (
                    "visible_to_family",
                    models.BooleanField(default=False, verbose_name="visible par la famille"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="déposé le"),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="wagtail_qf.submission",
                        verbose_name="dossier",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="agent",
                    ),
                ),
            ],
            options={
                "verbose_name": "document d'un dossier",
                "verbose_name_plural": "documents des dossiers",
                "ordering": ["created_at", "pk"],
            },
        ),
    ]
