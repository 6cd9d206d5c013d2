"""Tariff brackets: the commune's QF ranges (0–400 € → A, 401–800 € → B…)."""

import swapper
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

swapper.set_app_prefix("wagtailcore", "wagtail")


class TariffBracket(Orderable):
    # To the Page model: any page type built on the QF mixin can have brackets.
    page = ParentalKey(
        swapper.get_model_name("wagtailcore", "Page"),
        on_delete=models.CASCADE,
        related_name="tariff_brackets",
    )
    label = models.CharField(_("tranche"), max_length=40, help_text=_("Par exemple « A » ou « Tarif 1 »."))
    qf_min = models.PositiveIntegerField(_("QF minimum (€)"), default=0)
    qf_max = models.PositiveIntegerField(
        _("QF maximum (€)"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )

    # The bounds apply to the QF or to the income per part (the page's ``bracket_basis``):
    # the editor's labels say so, whichever it is.
    panels = [
        FieldPanel("label"),
        FieldRowPanel(
            [
                FieldPanel("qf_min", heading=_("Minimum (€)")),
                FieldPanel("qf_max", heading=_("Maximum (€)"), help_text=_("Vide : sans limite.")),
            ],
            help_text=_(
                "Bornes comprises, en euros entiers, sur la valeur choisie dans « Les tranches portent "
                "sur » : le quotient familial ou le revenu fiscal de référence par part."
            ),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("tranche tarifaire")
        verbose_name_plural = _("tranches tarifaires")

    def __str__(self):
        return self.label

    def clean(self) -> None:
        if self.qf_max is not None and self.qf_max < self.qf_min:
            raise ValidationError({"qf_max": _("Le maximum doit être supérieur ou égal au minimum.")})

    def contains(self, value: int) -> bool:
        return self.qf_min <= value and (self.qf_max is None or value <= self.qf_max)


def bracket_for(brackets, value) -> str:
    """The label of the first bracket containing ``value`` (brackets in the editor's order)."""
    if value is None:
        return ""
    return next((b.label for b in brackets if b.contains(value)), "")
