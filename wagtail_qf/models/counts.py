"""Number of dossiers per page and status, kept up to date with every write.

The inbox tabs show a count per status; counting a million dossiers takes a few
hundred milliseconds, reading these few rows does not. ``wagtail_qf.counters``
maintains them; ``qf_recount`` rebuilds them after writes that bypass the ORM.
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
