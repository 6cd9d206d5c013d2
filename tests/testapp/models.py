"""The town hall's own QF page: its fields and the QF mixin's, without ``QFTransmissionPage``."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from wagtail_qf.models import AbstractQFTransmissionPage


class TownHallQFPage(AbstractQFTransmissionPage, Page):
    opening_hours = models.CharField("horaires d'accueil", max_length=200, blank=True)
    service_phone = models.CharField("téléphone du service", max_length=20, blank=True)

    content_panels = (
        Page.content_panels
        + [FieldPanel("opening_hours"), FieldPanel("service_phone")]
        + AbstractQFTransmissionPage.qf_panels
    )
    subpage_types = []

    class Meta:
        verbose_name = "quotient familial (page de la mairie)"
