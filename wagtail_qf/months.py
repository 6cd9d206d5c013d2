"""Which month's quotient familial a page asks for."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# French elides « de » before a vowel: « d'avril », « d'août », « d'octobre ».
VOWELS = "aeiouyàâäéèêëîïôöùûü"


class MonthRule(models.TextChoices):
    CURRENT = "current", _("Mois en cours")
    PREVIOUS = "previous", _("Mois précédent")
    FIXED = "fixed", _("Mois fixe de l'année (par exemple janvier)")


@dataclass(frozen=True)
class QFMonth:
    year: int
    month: int

    @property
    def date(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    def label(self) -> str:
        """« janvier 2026 » in the active language."""
        return formats.date_format(self.date, "F Y")

    def of_label(self) -> str:
        """« de janvier 2026 », « d'avril 2026 »: the month after « le quotient familial »."""
        label = self.label()
        if label[:1].lower() in VOWELS:
            # Translators: « de » elided before a month whose name starts with a vowel; in English « for April 2026 ».
            return pgettext("month, elided", "d'%(month)s") % {"month": label}
        # Translators: « de » before a month; in English « for May 2026 ».
        return pgettext("month", "de %(month)s") % {"month": label}


def resolve_month(rule: str, fixed_month: int | None, today: datetime.date) -> QFMonth:
    if rule == MonthRule.PREVIOUS:
        first = today.replace(day=1) - datetime.timedelta(days=1)
        return QFMonth(first.year, first.month)
    if rule == MonthRule.FIXED and fixed_month:
        # The latest occurrence of that month that is not in the future.
        year = today.year if fixed_month <= today.month else today.year - 1
        return QFMonth(year, fixed_month)
    return QFMonth(today.year, today.month)


def explain(rule: str, month: QFMonth) -> str:
    """Why this month: shown to the citizen next to the month."""
    from django.utils.translation import gettext

    if rule == MonthRule.PREVIOUS:
        return gettext("La commune retient le quotient familial du mois précédent.")
    if rule == MonthRule.FIXED:
        return gettext("La commune retient le quotient familial %(of_month)s pour toute l'année.") % {
            "of_month": month.of_label()
        }
    return gettext("La commune retient le quotient familial du mois en cours.")
