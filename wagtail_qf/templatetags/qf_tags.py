import datetime

from django import template
from django.utils import formats, translation
from django.utils.translation import pgettext

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
        return _first_of_month(value, formats.date_format(value, "j F Y"))
    return value


def _first_of_month(value, text) -> str:
    if value.day == 1 and (translation.get_language() or "").startswith("fr"):
        return "1er" + text[1:]
    return text


@register.filter(expects_localtime=True)
def qf_datetime(value) -> object:
    """A moment in the active language and time zone: « 12 mars 2026 à 14 h 05 » (no line break
    inside « 14 h 05 »); other values unchanged."""
    if not isinstance(value, datetime.datetime):
        return value
    # Translators: a date and time, in the format of Django's « date » filter (the spaces around « h » are no-break spaces).
    text = formats.date_format(value, pgettext("date and time", "j F Y à G \\h i"))
    return _first_of_month(value, text)


@register.filter
def qf_euros(value) -> str:
    """A QF in euros, with the locale's thousands separator."""
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def lowerfirst(value) -> str:
    """« A consulté le dossier » → « a consulté le dossier », after a name."""
    value = str(value)
    return value[:1].lower() + value[1:]
