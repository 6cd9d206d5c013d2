import datetime

from django import template
from django.utils import formats, translation

register = template.Library()


@register.filter
def qf_date(value) -> object:
    """« 2012-03-04 » → « 4 mars 2012 » (in the active language); other values unchanged.

    French writes the first day of a month « 1er » : « 1er février 2012 »."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        text = formats.date_format(value, "j F Y")
        if value.day == 1 and (translation.get_language() or "").startswith("fr"):
            text = "1er" + text[1:]
        return text
    return value


@register.filter
def qf_euros(value) -> str:
    """A QF in euros, with the locale's thousands separator."""
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def lowerfirst(value) -> str:
    """« A consulté le dossier » → « a consulté le dossier », after a name."""
    value = str(value)
    return value[:1].lower() + value[1:]
