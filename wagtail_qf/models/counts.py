"""Number of dossiers per page and status, and a token of the last change of any dossier.

The inbox tabs show a count per status; counting a million dossiers takes a few
hundred milliseconds, reading these few rows does not. The database's triggers keep
both tables (``dossiers.triggers``); ``qf_recount`` rebuilds the counters.
"""

import swapper
from django.db import models

swapper.set_app_prefix("wagtailcore", "wagtail")


class SubmissionCount(models.Model):
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "status"], name="qf_count_page_status")]

    def __str__(self):
        return f"{self.page_id}/{self.status}: {self.count}"


class SubmissionsVersion(models.Model):
    """One row whose token the database renews with every write of a dossier (``dossiers.counts``).

    A random token rather than a number: a rolled-back write never brings back a token
    under which other counts were cached.
    """

    token = models.CharField(max_length=36)

    def __str__(self):
        return self.token
