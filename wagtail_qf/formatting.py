"""How every page, PDF, export and e-mail writes a date, a time of day and an amount, in the
active language. Template filters (``templatetags.qf_tags``) and Python code (the journey, the
summary, the dossier display, the models) call these same functions, so there is one way to
write each."""

import datetime
import re

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext

NO_BREAK_SPACE = "\xa0"
# What XML 1.0 cannot hold: control characters but tab and line breaks, lone surrogates, U+FFFE/F.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` as an XML file (a spreadsheet, HubEE's national form) can hold it: each
    character XML cannot hold written « \ufffd »."""
    return XML_ILLEGAL.sub("\ufffd", value)


def date_text(value) -> object:
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
            return "1er" + text[1:]
        return text
    return value


def time_of_day(moment: datetime.datetime) -> str:
    """« 14 h 05 » (« 14:05 » in English): a moment's time of day as it is written, its zone unchanged."""
    return gettext("%(hour)d h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}


def clock_text(value) -> object:
    """A moment's time of day in the site's time zone, never broken across lines; other values unchanged."""
    if not isinstance(value, datetime.datetime):
        return value
    return _unbroken(time_of_day(timezone.localtime(value)))


def moment_text(value) -> object:
    """A moment in the active language and time zone: « 12 mars 2026 à 14 h 05 », its date as
    ``date_text`` writes it and its time as ``clock_text``; other values unchanged."""
    if not isinstance(value, datetime.datetime):
        return value
    value = timezone.localtime(value)
    # Translators: a date (« 12 mars 2026 ») then a time of day (« 14 h 05 »): « 12 March 2026 at 14:05 ».
    text = pgettext("date and time", "%(date)s à %(time)s")
    return text % {"date": date_text(value.date()), "time": _unbroken(time_of_day(value))}


def grouped_number(value) -> str:
    """A whole number with the locale's thousands separator: « 1 234 » (« 1,234 » in English)."""
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def euros(value) -> str:
    """« 1 234 € » (« €1,234 » in English): an amount in euros, never broken across lines."""
    # Translators: an amount in euros, the space before € a no-break space; in English « €%(amount)s ».
    return pgettext("amount in euros", "%(amount)s €") % {"amount": grouped_number(value)}


def _unbroken(text: str) -> str:
    return text.replace(" ", NO_BREAK_SPACE)
