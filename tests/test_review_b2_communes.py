"""Review b2: the family of a small commune chooses it on an intercommunal page (no JavaScript)."""

import pytest

from wagtail_qf.communes import search as communes
from wagtail_qf.models import ServedCommune
from wagtail_qf.models.communes import search_served

from .factories import page_editor_data

pytestmark = pytest.mark.django_db

# The 46 communes of postcode 51300 (around Vitry-le-François), as a communauté de communes serves them.
POSTCODE_51300 = sorted(
    c.code for c in communes.load().communes if not c.is_former and "51300" in c.postcodes
)
RENNES_AREA = [
    "35238",
    "35051",
    "35131",
    "35168",
    "35024",
    "35001",
    "35047",
    "35055",
    "35066",
    "35076",
    "35281",
]


def search(client, page, query):
    response = client.post(page.url, {"action": "rechercher", "commune_recherche": query})
    assert response.status_code == 200
    return response.content.decode()


def offered(html):
    return html.count('type="radio" id="id_commune_')


def test_postcode_shared_by_many_communes_offers_them_all(client, epci):
    """Pringy's family types its postcode, which 45 other communes share: Pringy must be offered,
    and the page must not say « 10 communes trouvées » when 46 are."""
    assert len(POSTCODE_51300) > 40 and "51446" in POSTCODE_51300  # Pringy
    page = epci(POSTCODE_51300, commune_cog="51649", commune_postcode="51300")
    html = search(client, page, "51300")
    assert offered(html) == len(POSTCODE_51300)
    assert 'value="51446"' in html and "Pringy (51300)" in html
    assert f"{len(POSTCODE_51300)} communes trouvées." in html
    assert "10 communes trouvées." not in html
    assert "Pour raccourcir la liste, précisez le nom de votre commune." in html
    html = search(client, page, "pringy")
    assert offered(html) == 1 and "1 commune trouvée." in html and "raccourcir" not in html


def test_changing_commune_a_search_finding_nothing_says_so(client, epci):
    """The family chose Cesson-Sévigné, then searches for another commune with a typo: the page
    must say that nothing was found, not « 1 commune trouvée » for the commune kept from before."""
    page = epci(RENNES_AREA)
    client.post(page.url, {"suite": "franceconnect", "commune": "35051"})
    html = search(client, page, "Bettonn")
    assert "Aucune commune desservie ne correspond à « Bettonn »" in html
    assert "1 commune trouvée." not in html
    assert offered(html) == 1 and 'value="35051" checked' in html  # the choice is kept
    html = search(client, page, "Betton")
    assert "1 commune trouvée." in html and offered(html) == 2


def test_postcode_typed_after_the_name(client, epci):
    page = epci(POSTCODE_51300, commune_cog="51649", commune_postcode="51300")
    html = search(client, page, "Saint-Lumier 51300")
    assert offered(html) == 1 and 'value="51496"' in html


@pytest.mark.parametrize("query", ["lhermitage", "L'Hermitage", "l hermitage", "hermitage", "L’Hermitage"])
def test_elided_article_typed_without_its_apostrophe(client, epci, query):
    page = epci(RENNES_AREA)
    html = search(client, page, query)
    assert offered(html) == 1 and 'value="35131"' in html, query


@pytest.mark.parametrize("query", ["Maure-de-Bretagne", "maure de bretagne", "Campel"])
def test_delegated_commune_finds_its_commune_nouvelle(client, epci, query):
    """A family of Maure-de-Bretagne (merged into Val d'Anast in 2017, still on many addresses)
    types its village's name: the commune nouvelle is offered, and said to include it."""
    page = epci(RENNES_AREA)
    html = search(client, page, query)
    assert offered(html) == 1 and 'value="35168"' in html, query
    former = "Maure-de-Bretagne" if "aure" in query else "Campel"
    assert f"Val d&#x27;Anast (35330), dont fait partie {former}</label>" in html
    # Its own name still finds it, without the note.
    html = search(client, page, "val d anast")
    assert offered(html) == 1 and "Val d&#x27;Anast (35330)</label>" in html


def test_saint_and_st_and_homonyms(client, epci):
    page = epci(POSTCODE_51300, commune_cog="51649", commune_postcode="51300")
    served = ServedCommune.objects.filter(page=page)
    saints = {c.cog for c in served if " saint" in " " + communes.normalise(c.name)}
    assert len(saints) >= 4  # Saint-Amand-sur-Fion… and Châtelraould-Saint-Louvent
    for query in ("saint", "st", "ST-", "Saint "):
        html = search(client, page, query)
        assert offered(html) == len(saints), query
    html = search(client, page, "st lumier")
    assert offered(html) == 1 and 'value="51496"' in html


def test_name_typed_then_franceconnect_pressed_lists_the_matches(client, epci):
    """Without JavaScript, the family types « Pringy » and presses the FranceConnect button
    without « Rechercher »: the page asks for the choice and lists the matches to pick from."""
    page = epci(POSTCODE_51300, commune_cog="51649", commune_postcode="51300")
    response = client.post(page.url, {"suite": "franceconnect", "commune_recherche": "Pringy"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez votre commune de résidence." in html
    assert offered(html) == 1 and 'value="51446"' in html
    assert '<a href="#id_commune_0">Choisissez votre commune de résidence.</a>' in html
    response = client.post(
        page.url, {"suite": "franceconnect", "commune": "51446", "commune_recherche": "Pringy"}
    )
    assert response.status_code == 302 and response["Location"] == page.url + "connexion/"


def test_page_editor_refuses_one_siret_for_two_served_communes(client, epci, django_user_model):
    """A SIRET pasted twice: the national form's link for it would choose one commune at random."""
    page = epci([])
    client.force_login(django_user_model.objects.create_superuser("webmaster", "w@example.org", "pw"))
    url = f"/admin/pages/{page.pk}/edit/"
    siret = "21350238800019"  # Rennes
    response = client.post(url, page_editor_data(page, [("35238", siret), ("35051", siret)]))
    assert response.status_code == 200
    assert "Ce SIRET est déjà celui d&#x27;une autre commune desservie." in response.content.decode()
    assert not ServedCommune.objects.exists()
    response = client.post(url, page_editor_data(page, [("35238", siret), ("35051", "")]))
    assert response.status_code == 302
    assert sorted(ServedCommune.objects.values_list("cog", "siret")) == [("35051", ""), ("35238", siret)]


def test_commune_changed_before_transmitting_is_the_one_everywhere(client, epci, logged_in):
    """The family chose Cesson-Sévigné, goes back and chooses Betton: every later step, the dossier,
    the confirmation, its summary and PDF name Betton (the communauté de communes as the service)."""
    import io

    from pypdf import PdfReader

    from wagtail_qf.models import Submission

    from .factories import family_result

    page = epci(RENNES_AREA, commune_name="Communauté de communes du Val")
    logged_in(page, family_result())
    response = client.post(page.url, {"suite": "reprendre", "commune": "35051"})
    assert "Commune de Cesson-Sévigné (35510)" in client.get(response["Location"]).content.decode()
    html = client.get(page.url).content.decode()
    assert 'value="35051" checked' in html
    response = client.post(page.url, {"suite": "reprendre", "commune": "35024"})
    consent = client.get(response["Location"]).content.decode()
    assert "Commune de Betton (35830)" in consent and "Cesson" not in consent
    assert "Démarche gérée par Communauté de communes du Val" in consent
    quotient = client.get(page.url + "quotient/")
    assert "Commune : <strong>Betton (35830)</strong>" in quotient.content.decode()
    token = quotient.context["form"].initial["form_token"]
    response = client.post(page.url + "quotient/", {"form_token": token, "confirm": "on", "no_child": "on"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.commune_cog, submission.commune_name) == ("35024", "Betton")
    confirmation = client.get(page.url + "confirmation/").content.decode()
    assert "La commune de Betton a bien reçu votre quotient familial." in confirmation
    summary = client.get(page.url + "confirmation/recapitulatif/html/").content.decode()
    assert "Betton" in summary and "Cesson" not in summary
    pdf = client.get(page.url + "confirmation/recapitulatif/").content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Betton" in text and "Cesson" not in text


@pytest.mark.parametrize(
    "query, cog",
    [
        ("oeuilly", "51410"),
        ("Œuilly", "51410"),
        ("ŒUILLY", "51410"),
        ("ecriennes", "51224"),
        ("ÉCRIENNES 51300", "51224"),
        ("l’hermitage", "35131"),
        ("LHERMITAGE", "35131"),
        ("val danast", "35168"),
        ("st amand sur fion", "51472"),
        ("51", "51410"),
    ],
)
def test_served_search_letters_and_apostrophes(query, cog):
    served = [ServedCommune(cog=c) for c in ("51410", "51224", "35131", "35168", "51472")]
    for commune in served:
        commune.clean()
    assert cog in [c.cog for c in search_served(served, query)], query


def test_matches_are_in_alphabetical_order(client, epci):
    """46 communes found by their postcode are listed by name, whatever the editor's order."""
    page = epci(list(reversed(POSTCODE_51300)), commune_cog="51649", commune_postcode="51300")
    html = search(client, page, "51300")
    labels = [line.split(">", 1)[1] for line in html.split('<label class="fr-label" for="id_commune_')[1:]]
    names = [communes.normalise(label.split(" (", 1)[0]) for label in labels]
    assert len(names) == len(POSTCODE_51300) and names == sorted(names)


def editor_rows(page, cogs):
    return page_editor_data(page, [(cog, "") for cog in cogs])


def test_preview_of_a_page_just_given_served_communes_asks_for_the_commune(
    client, make_qf_page, django_user_model
):
    """The webmaster adds the served communes and clicks « Aperçu » before publishing: the
    preview must show the commune choice the families will get, not the single-commune page."""
    page = make_qf_page(commune_name="Communauté de communes")
    client.force_login(django_user_model.objects.create_superuser("webmaster", "w@example.org", "pw"))
    url = f"/admin/pages/{page.pk}/edit/preview/"
    response = client.post(url, editor_rows(page, ["35051", "35024"]))
    assert response.json()["is_valid"] is True
    html = client.get(url).content.decode()
    assert "Votre commune de résidence" in html and "Betton (35830)" in html
