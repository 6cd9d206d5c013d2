"""The income year asked of the DGFiP: last available year (N-1 from the taxation date on, else
N-2, with a fallback) or a fixed year (no fallback)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from wagtail_qf.dgfip.years import YearChoice, choose_year


@pytest.mark.parametrize(
    "today, expected",
    [
        (datetime.date(2026, 1, 15), 2024),  # last year's income not taxed yet
        (datetime.date(2026, 7, 31), 2024),  # the day before the taxation date
        (datetime.date(2026, 8, 1), 2025),  # from the taxation date on
        (datetime.date(2026, 12, 31), 2025),
    ],
)
def test_last_available_year_follows_the_taxation_date(today, expected):
    assert choose_year(today, "08-01") == YearChoice(expected, fallback=True)


def test_the_taxation_date_is_the_settings_one():
    assert choose_year(datetime.date(2026, 7, 20), "07-15").year == 2025
    assert choose_year(datetime.date(2026, 7, 20), "09-01").year == 2024


def test_a_fixed_year_is_asked_as_is_without_fallback():
    assert choose_year(datetime.date(2026, 3, 1), "08-01", fixed_year=2023) == YearChoice(
        2023, fallback=False
    )


@pytest.mark.parametrize("setting", ["", "August", "13-01", "08/01", "02-30"])
def test_a_bad_taxation_date_says_what_is_expected(setting):
    with pytest.raises(ImproperlyConfigured, match="MM-DD"):
        choose_year(datetime.date(2026, 3, 1), setting)
