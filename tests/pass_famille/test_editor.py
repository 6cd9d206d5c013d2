"""The page's Pass Famille settings in the Wagtail editor: one section per source (the source, whether
it is indispensable, its fields), and tariff brackets whose labels fit both bases."""

import html
import re

import pytest

from wagtail_qf.models import TariffBracket

pytestmark = pytest.mark.django_db

SECTIONS = {
    "Données collectées : CAF ou MSA": [
        "source_qf",
        "require_qf",
        "collect_allocataires",
        "collect_children",
        "collect_address",
    ],
    "Données collectées : impots.gouv.fr (DGFiP)": [
        "source_dgfip",
        "require_dgfip",
        "dgfip_rfr",
        "dgfip_nb_parts",
        "dgfip_family_situation",
        "dgfip_dependants",
        "dgfip_address",
        "income_year_rule",
        "fixed_income_year",
    ],
    "Données collectées : crèche (EAJE)": ["source_eaje", "require_eaje"],
}
HEADING = re.compile(r"<span data-panel-heading-text>([^<]+)</span>")


def sections(page: str) -> dict[str, str]:
    """The editor's HTML cut at each panel heading: {heading: the HTML down to the next one}."""
    parts = HEADING.split(page)
    return {html.unescape(parts[i].strip()): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def field_ids(fragment: str) -> list[str]:
    return re.findall(r'\bid="id_([a-z_]+)"', fragment)


@pytest.fixture
def edit_view(admin_client, make_qf_page):
    def get(**fields):
        page = make_qf_page(**fields)
        TariffBracket.objects.create(page=page, label="A", qf_min=0, qf_max=9000, sort_order=0)
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_each_source_has_its_section_with_its_indispensable_box_and_its_fields(edit_view):
    found = sections(edit_view())
    headings = list(found)
    assert [h for h in headings if h.startswith("Données collectées")] == list(SECTIONS)
    for heading, fields in SECTIONS.items():
        assert [name for name in field_ids(found[heading]) if name in fields] == fields, heading
    assert "Indispensable : si la source ne répond pas" in found["Données collectées : CAF ou MSA"]
    assert "Seulement avec FranceConnect" in found["Données collectées : impots.gouv.fr (DGFiP)"]


def test_bracket_bounds_are_labelled_for_both_bases(dgfip_on, edit_view):
    """A page whose brackets apply to the income per part: the bounds do not say « QF »."""
    page = edit_view(source_dgfip=True, bracket_basis="rfr_per_part")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "QF minimum" not in text and "QF maximum" not in text
    assert "Minimum (€)" in text and "Maximum (€)" in text
    assert (
        "Bornes comprises, en euros entiers, sur la valeur choisie dans « Les tranches portent sur » : "
        "le quotient familial ou le revenu fiscal de référence par part." in text
    )
    assert 'value="9000"' in page  # the bracket's own values are in the form
