"""The one backoff rule of the clients and tasks: exponential, capped, jittered, at least Retry-After."""

import datetime

import pytest

from wagtail_qf.upstream import JITTER_SHARE, backoff_delay, retry_after


def fixed(value):
    return lambda: value


@pytest.mark.parametrize(("attempt", "full"), [(1, 60), (2, 120), (3, 240), (4, 480)])
def test_the_delay_doubles_with_each_attempt(attempt, full):
    assert backoff_delay(attempt, base=60, cap=3600, jitter=fixed(0.0)) == full


@pytest.mark.parametrize("draw", [0.0, 0.25, 0.5, 0.999999])
def test_jitter_takes_off_at_most_half_of_the_delay(draw):
    delay = backoff_delay(3, base=60, cap=3600, jitter=fixed(draw))
    assert 240 * (1 - JITTER_SHARE) <= delay <= 240
    assert delay == pytest.approx(240 * (1 - JITTER_SHARE * draw))


def test_the_real_jitter_stays_within_the_bounds():
    delays = {backoff_delay(2, base=60, cap=3600) for _ in range(200)}
    assert all(60 <= delay <= 120 for delay in delays)
    assert len(delays) > 1  # not the same instant for every client


def test_the_delay_is_capped():
    assert backoff_delay(20, base=60, cap=3600, jitter=fixed(0.0)) == 3600
    assert 1800 <= backoff_delay(20, base=60, cap=3600) <= 3600


def test_retry_after_wins_over_a_shorter_backoff_and_is_capped_too():
    assert backoff_delay(1, base=60, cap=3600, retry_after=600, jitter=fixed(0.5)) == 600
    assert backoff_delay(1, base=60, cap=3600, retry_after=86400) == 3600
    assert backoff_delay(3, base=60, cap=3600, retry_after=10, jitter=fixed(0.0)) == 240


NOW = datetime.datetime(2026, 3, 2, 10, 0, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 30 ", 30.0),
        ("Mon, 02 Mar 2026 10:05:00 GMT", 300.0),  # an HTTP date
        ("Mon, 02 Mar 2026 09:00:00 GMT", 0.0),  # already past
        ("-5", 0.0),
        ("bientôt", 0.0),
        ("", 0.0),
        (None, 0.0),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(header, seconds):
    headers = {} if header is None else {"Retry-After": header}
    assert retry_after(headers, now=NOW) == seconds
