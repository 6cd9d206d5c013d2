import pytest

from wagtail_qf.models import TariffBracket

from ..api.conftest import api, make_token  # noqa: F401
from ..testapp.models import TownHallQFPage


@pytest.fixture
def town_hall(home_page):
    """The town hall's own QF page (Betton), with two tariff brackets and a 30-day retention."""
    page = TownHallQFPage(
        title="Quotient familial – mairie de Betton",
        slug="qf-betton",
        commune_name="Betton",
        commune_cog="35024",
        commune_postcode="35830",
        siret="21350024500013",
        opening_hours="du lundi au vendredi, 9 h – 12 h",
        retention_days=30,
    )
    page.tariff_brackets.add(TariffBracket(label="A", qf_min=0, qf_max=1000))
    page.tariff_brackets.add(TariffBracket(label="B", qf_min=1001))
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return TownHallQFPage.objects.get(pk=page.pk)
