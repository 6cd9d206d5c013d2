"""Tariff brackets: the commune's QF ranges (0–400 € → A, 401–800 € → B…)."""

import swapper
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..formatting import grouped_number

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

    @property
    def bounds(self) -> str:
        """« de 0 à 400 € », « à partir de 801 € »."""
        if self.qf_max is None:
            return _("à partir de %(min)s €") % {"min": grouped_number(self.qf_min)}
        return _("de %(min)s à %(max)s €") % {
            "min": grouped_number(self.qf_min),
            "max": grouped_number(self.qf_max),
        }

    @classmethod
    def siblings_errors(cls, brackets) -> list[tuple["TariffBracket", str, str]]:
        """A page's brackets, taken in order of their minimum, must neither overlap (a value would
        be in two brackets) nor leave a gap (a value in none): ``(bracket, field, message)``."""
        errors, widest = [], None  # widest: the bracket reaching the highest value so far
        for bracket in sorted(brackets, key=lambda b: b.qf_min):
            if widest is not None and (widest.qf_max is None or widest.qf_max >= bracket.qf_min):
                message = _(
                    "Cette tranche chevauche la tranche « %(label)s » (%(bounds)s) : une même valeur ne peut "
                    "être que dans une tranche. Corrigez le minimum ou le maximum."
                ) % {"label": widest.label, "bounds": widest.bounds}
                errors.append((bracket, "qf_min", message))
            elif widest is not None and bracket.qf_min > widest.qf_max + 1:
                message = _(
                    "Aucune tranche ne va de %(low)s à %(high)s € : donnez à cette tranche le minimum "
                    "%(low)s, ou à la tranche « %(label)s » le maximum %(high)s."
                ) % {
                    "low": grouped_number(widest.qf_max + 1),
                    "high": grouped_number(bracket.qf_min - 1),
                    "label": widest.label,
                }
                errors.append((bracket, "qf_min", message))
            if widest is None or (
                widest.qf_max is not None and (bracket.qf_max is None or bracket.qf_max > widest.qf_max)
            ):
                widest = bracket
        return errors


def bracket_for(brackets, value) -> str:
    """The label of the first bracket containing ``value`` (brackets in the editor's order)."""
    if value is None:
        return ""
    return next((b.label for b in brackets if b.contains(value)), "")
