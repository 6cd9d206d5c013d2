"""Daily counters of the citizen's journey and of the upstream failures (issue 19).

One row per page, day, event and code, holding a count and nothing else: no dossier, no
identity, no address. The statistics page reads them instead of counting dossiers or logs.
``dossiers.statistics.record`` adds one with a single statement (safe across processes).
"""

import swapper
from django.db import models
from django.utils.translation import gettext_lazy as _

swapper.set_app_prefix("wagtailcore", "wagtail")


class JourneyEvent(models.TextChoices):
    START = "start", _("Connexion FranceConnect lancée")
    LOGGED_IN = "logged_in", _("Connecté avec FranceConnect")
    DATA_OBTAINED = "data_obtained", _("Données obtenues")
    TRANSMITTED = "transmitted", _("Dossier transmis")
    UPSTREAM_FAILURE = "upstream_failure", _("Échec d'un service partenaire")


class DailyCount(models.Model):
    """How many times ``event`` happened on ``page`` on ``day``; ``code``: which failure
    (``particulier:23003``, ``dgfip:timeout``, ``franceconnect:provider_unavailable``) or, for a
    transmission, its path (``franceconnect``, ``identity``); empty otherwise."""

    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    event = models.CharField(max_length=20, choices=JourneyEvent.choices)
    code = models.CharField(max_length=60, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day", "event", "code"], name="qf_daily_count_key")
        ]
        verbose_name = _("compteur journalier")
        verbose_name_plural = _("compteurs journaliers")

    def __str__(self):
        return f"{self.page_id}/{self.day}/{self.event}/{self.code}: {self.count}"


class DossierCount(models.Model):
    """How many dossiers, per page and hour of transmission, have this status, organism, path,
    tax data or not, tariff bracket and time to process (in whole hours, -1 while not processed).

    Kept by the database (triggers of migration ``0012_inbox_volume``, in the same statement as
    every write of a dossier): the statistics page adds up these rows over a period instead of
    grouping a million dossiers. Hours, not days: a period runs from midnight to midnight in the
    site's time zone, a whole number of hours away from UTC. No personal data."""

    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"), on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField()
    status = models.CharField(max_length=20)
    qf_provider = models.CharField(max_length=4, blank=True)
    source = models.CharField(max_length=20)
    with_tax_data = models.BooleanField()
    tariff_bracket = models.CharField(max_length=40, blank=True)
    delay_hours = models.IntegerField(default=-1)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "page",
                    "hour",
                    "status",
                    "qf_provider",
                    "source",
                    "with_tax_data",
                    "tariff_bracket",
                    "delay_hours",
                ],
                name="qf_dossier_count_key",
            )
        ]
        verbose_name = _("compteur de dossiers")
        verbose_name_plural = _("compteurs de dossiers")

    def __str__(self):
        return f"{self.page_id}/{self.hour:%Y-%m-%d %H}h/{self.status}: {self.count}"
