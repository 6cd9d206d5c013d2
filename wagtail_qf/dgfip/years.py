"""Which income year to ask the DGFiP for (``annrev``): a pure function of the date.

The avis issued in year N+1 covers the income of N, and a year is available
only once taxed (late July of N+1). A page either takes the last available year
(N-1 from the taxation date of the settings on, N-2 before it; the client falls
back to the year before when the one asked has no avis) or a fixed year (no
fallback: the commune's pricing is set on that year).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class YearChoice:
    year: int
    # Ask ``year - 1`` when ``year`` has no avis.
    fallback: bool = False


def taxation_day(setting: str, year: int) -> datetime.date:
    """``WAGTAIL_QF["DGFIP"]["TAXATION_DATE"]`` ("MM-DD") in ``year``."""
    try:
        month, day = (int(part) for part in str(setting).split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        raise ImproperlyConfigured(
            f"WAGTAIL_QF['DGFIP']['TAXATION_DATE'] is {setting!r}: a day written MM-DD is expected, "
            "such as '08-01'."
        ) from None


def choose_year(today: datetime.date, taxation_date: str, fixed_year: int | None = None) -> YearChoice:
    """The income year to ask for ``today``: a fixed one, or the last available one."""
    if fixed_year:
        return YearChoice(int(fixed_year))
    taxed_last_year = today >= taxation_day(taxation_date, today.year)
    return YearChoice(today.year - (1 if taxed_last_year else 2), fallback=True)
