"""The month of the quotient familial in a sentence: French elides « de » before a vowel
(« le quotient familial d'avril 2026 », never « de avril 2026 »)."""

from html import unescape

import pytest

from wagtail_qf.months import MonthRule, QFMonth, explain

from ..factories import family_result

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("month", "written"), [(4, "d'avril"), (8, "d'août"), (10, "d'octobre"), (5, "de mai")]
)
def test_the_month_after_de_is_elided_before_a_vowel(month, written):
    assert QFMonth(2026, month).of_label() == f"{written} 2026"
    assert explain(MonthRule.FIXED, QFMonth(2026, month)).startswith(
        f"La commune retient le quotient familial {written} 2026 "
    )


def test_every_step_writes_the_month_of_april_with_an_elision(client, make_qf_page, logged_in):
    page = make_qf_page(month_rule=MonthRule.FIXED, fixed_month=4)
    month = page.qf_month()
    assert month.month == 4
    april = f"d'avril {month.year}"
    start = unescape(client.get(page.url).content.decode())
    logged_in(page, family_result())
    consent = unescape(client.get(page.url + "consentement/").content.decode())
    quotient = unescape(client.get(page.url + "quotient/").content.decode())
    for html in (start, consent, quotient):
        assert "de avril" not in html
    assert f"Le quotient familial demandé est celui {april}." in start
    assert f"La commune retient le quotient familial {april} pour toute l" in start
    assert f"Votre quotient familial {april}, calculé par la CAF ou la MSA" in consent
    assert f"Votre quotient familial {april} est de <strong>" in quotient
