import pytest

from wagtail_qf.models import TariffBracket

from ..factories import TownHallQFPageFactory


@pytest.fixture
def town_hall(home_page):
    """The town hall's own QF page (Betton), with two tariff brackets and a 30-day retention."""
    brackets = [TariffBracket(label="A", qf_min=0, qf_max=1000), TariffBracket(label="B", qf_min=1001)]
    return TownHallQFPageFactory(parent=home_page, tariff_brackets=brackets)
