"""Who exported which dossiers, and when.

An export of a million dossiers is one ``Export`` row and a million two-column
``ExportedSubmission`` rows, written by the database itself: a million log
entries (each with its label, action, data…) made the export half as fast.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    exported_at = models.DateTimeField(_("exporté le"), default=timezone.now)
    format = models.CharField(_("format"), max_length=10)
    count = models.PositiveIntegerField(_("dossiers exportés"), default=0)

    class Meta:
        verbose_name = _("export de dossiers")
        verbose_name_plural = _("exports de dossiers")

    def __str__(self):
        return f"{self.format} {self.exported_at:%Y-%m-%d %H:%M} ({self.count})"


class ExportedSubmission(models.Model):
    pk = models.CompositePrimaryKey("submission_id", "export_id")
    # No database constraint: checking it for each of a million rows would halve
    # the export's speed; rows go with their dossier or export (Django cascades).
    # No index of its own either: the primary key starts with it (a fifth less to write per row).
    submission = models.ForeignKey(
        "wagtail_qf.Submission",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # Its index is the one below: a BRIN on PostgreSQL (migration 0014).
    export = models.ForeignKey(
        Export, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        # An export's rows are written together, one after the other, at the end of the table:
        # on PostgreSQL a BRIN (the smallest and largest export of each range of pages) finds them
        # all the same, for a fraction of a B-tree's cost per row written (the record of an export
        # of 200,000 dossiers: 0.45 → 0.3 s). Elsewhere a B-tree: Django declares no BRIN.
        indexes = [models.Index(fields=["export"], name="qf_exported_export")]

    def __str__(self):
        return f"{self.submission_id} in export {self.export_id}"
