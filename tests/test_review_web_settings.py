"""A mistyped ``WAGTAIL_QF`` setting is said by ``manage.py check`` at start, never found by a
citizen as a 500 (review of the site's settings)."""

import pytest
from django.test import override_settings

from tests.settings import WAGTAIL_QF
from wagtail_qf.checks import check_settings


def found(**settings):
    with override_settings(WAGTAIL_QF={**WAGTAIL_QF, **settings}):
        return {(e.id, e.msg) for e in check_settings() if e.id in ("wagtail_qf.W003", "wagtail_qf.E009")}


def test_the_test_settings_are_well_formed():
    assert found() == set()


def test_an_unknown_key_is_named():
    """« DOCUMENT » for « DOCUMENTS »: the site's choices would be silently ignored."""
    assert found(DOCUMENT={"MAX_SIZE": 1}, DOCUMENTS={"MAX_SIZES": 1}) == {
        (
            "wagtail_qf.W003",
            "WAGTAIL_QF['DOCUMENT'] is no setting of wagtail-qf: it is ignored (a typo? see the README, "
            "« Settings »).",
        ),
        (
            "wagtail_qf.W003",
            "WAGTAIL_QF['DOCUMENTS']['MAX_SIZES'] is no setting of wagtail-qf: it is ignored (a typo? see "
            "the README, « Settings »).",
        ),
    }


@pytest.mark.parametrize(
    "settings, expected",
    [
        ({"SESSION_TTL_SECONDS": "900"}, "WAGTAIL_QF['SESSION_TTL_SECONDS'] is '900': a number is expected."),
        (
            {"DOCUMENTS": {"MAX_SIZE": "10MB"}},
            "WAGTAIL_QF['DOCUMENTS']['MAX_SIZE'] is '10MB': a number is expected.",
        ),
        ({"FOLLOW_UP": 3600}, "WAGTAIL_QF['FOLLOW_UP'] is 3600: a dict is expected."),
        ({"TRUSTED_PROXIES": "10.0.0.1"}, "WAGTAIL_QF['TRUSTED_PROXIES'] is '10.0.0.1': a list is expected."),
        (
            {"FRANCECONNECT": {"USE_PKCE": "no"}},
            "WAGTAIL_QF['FRANCECONNECT']['USE_PKCE'] is 'no': True or False is expected.",
        ),
        (
            {"RATE_LIMITS": {"login": 20}},
            "WAGTAIL_QF['RATE_LIMITS']['login'] is 20: (requests, seconds) is expected, e.g. (20, 60).",
        ),
        (
            {"DOCUMENTS": {"TYPES": ["pdf", "gif"]}},
            "WAGTAIL_QF['DOCUMENTS']['TYPES'] is ['pdf', 'gif']: a list among 'pdf', 'jpeg', 'png' is expected.",
        ),
        (
            {"DOCUMENTS": {"STATUS_AFTER_COMPLEMENT": "reçu"}},
            "WAGTAIL_QF['DOCUMENTS']['STATUS_AFTER_COMPLEMENT'] is 'reçu': one of 'new', 'received', "
            "'in_progress', 'awaiting', 'refused', 'done', 'closed' is expected.",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_is_an_error(settings, expected):
    assert found(**settings) == {("wagtail_qf.E009", expected)}


def test_documented_none_values_are_accepted():
    assert found(API_PARTICULIER={"TOTAL_TIMEOUT": None}, BASE_TEMPLATE="site/base.html") == set()
