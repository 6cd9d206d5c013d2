import datetime

from django import template
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext

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


def time_of_day(moment: datetime.datetime) -> str:
    """« 14 h 05 » (« 14:05 » in English): a time of day, as every page writes it."""
    return gettext("%(hour)d h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}


@register.filter(expects_localtime=True)
def qf_clock(value) -> object:
    """A moment's time of day in the site's time zone, never broken across lines; other values unchanged."""
    if not isinstance(value, datetime.datetime):
        return value
    return time_of_day(timezone.localtime(value)).replace(" ", "\xa0")


@register.filter(expects_localtime=True)
def qf_datetime(value) -> object:
    """A moment in the active language and time zone: « 12 mars 2026 à 14 h 05 », its date as
    ``qf_date`` writes it and its time as ``qf_clock``; other values unchanged."""
    if not isinstance(value, datetime.datetime):
        return value
    value = timezone.localtime(value)
    # Translators: a date (« 12 mars 2026 ») then a time of day (« 14 h 05 »): « 12 March 2026 at 14:05 ».
    text = pgettext("date and time", "%(date)s à %(time)s")
    return text % {"date": qf_date(value.date()), "time": qf_clock(value)}


@register.filter
def qf_euros(value) -> str:
    """A QF in euros, with the locale's thousands separator."""
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def euros(value) -> str:
    """« 1 234 € » (« €1,234 » in English): an amount in euros, never broken across lines."""
    # Translators: an amount in euros, the space before € a no-break space; in English « €%(amount)s ».
    return pgettext("amount in euros", "%(amount)s €") % {"amount": qf_euros(value)}


@register.simple_tag(takes_context=True)
def qf_site_name(context, site) -> str:
    """The name the citizen pages give the site: its Wagtail name, else ``WAGTAIL_SITE_NAME``
    (``wagtail start`` names no site), else its host; never the package's."""
    request = context.get("request")
    return (
        getattr(site, "site_name", "")
        or getattr(settings, "WAGTAIL_SITE_NAME", "")
        or (request.get_host() if request is not None else "")
    )


@register.filter
def lowerfirst(value) -> str:
    """« A consulté le dossier » → « a consulté le dossier », after a name."""
    value = str(value)
    return value[:1].lower() + value[1:]
