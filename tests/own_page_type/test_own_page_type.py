"""A site's own page type built on ``AbstractQFTransmissionPage`` (tests/testapp's town hall page)
goes everywhere ``QFTransmissionPage`` goes: journey, inbox, export, editors' API, purge, brackets,
served communes and editor tokens."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers.retention import expired, purge
from wagtail_qf.models import EditorToken, ServedCommune, Submission

from ..fakes import particulier
from ..fakes.franceconnect import FakeFranceConnect
from ..testapp.models import TownHallQFPage

pytestmark = pytest.mark.django_db


def index_url(**params):
    return reverse("wagtail_qf_submissions:index") + "?" + urlencode(params)


def test_own_page_type_journey_transmits_a_dossier_with_its_bracket(client, respx_mock, town_hall):
    fc = FakeFranceConnect(respx_mock)
    particulier.particulier_ok(respx_mock, particulier.DUPONT)
    response = client.get(fc.authorize(client, town_hall.url + "connexion/"))
    assert response["Location"] == town_hall.url + "consentement/"
    assert client.get(response["Location"]).status_code == 200
    form = client.get(town_hall.url + "quotient/").context["form"]
    keys = [key for key, _label in form.fields["children"].choices]

    response = client.post(
        town_hall.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": keys[:1], "confirm": "on"},
    )

    assert response.status_code == 302
    dossier = Submission.objects.get()
    assert dossier.page_id == town_hall.pk
    assert (dossier.commune_cog, dossier.commune_name) == ("35024", "Betton")
    assert dossier.tariff_bracket == "B"  # QF 1 234 €


def test_own_page_type_is_listed_and_filtered_in_the_inbox(
    client, make_agent, two_communes, town_hall, make_submission
):
    home_a, page_a = two_communes[:2]
    ours = make_submission(town_hall, commune_cog="35024", commune_name="Betton")
    theirs = make_submission(page_a)
    client.force_login(make_agent("sandrine", home_a))

    listed = client.get(index_url())
    assert {row.reference for row in listed.context["object_list"]} == {ours.reference, theirs.reference}
    filters = listed.context["filters"]
    assert town_hall.pk in {page.pk for page in filters.filters["page"].queryset}
    assert ("35024", "Betton (35024)") in filters.filters["commune"].extra["choices"]
    by_page = client.get(index_url(page=town_hall.pk))
    assert [row.reference for row in by_page.context["object_list"]] == [ours.reference]


def test_own_page_type_csv_export_names_the_page_commune(
    client, make_agent, two_communes, town_hall, make_submission
):
    # A dossier without a commune of its own (sent before intercommunal pages): the page's.
    make_submission(town_hall, commune_cog="", commune_name="")
    client.force_login(make_agent("sandrine", two_communes[0]))

    response = client.get(index_url(export="csv", page=town_hall.pk))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert row[header.index("Commune")] == "Betton"


def test_own_page_type_editor_token_reads_its_dossiers(api, make_token, town_hall, make_submission, settle):
    dossier = make_submission(town_hall, commune_cog="35024", commune_name="Betton")
    _, clear = make_token(town_hall)
    settle()

    listed = api("dossiers/", clear).json()["results"]

    assert [d["reference"] for d in listed] == [dossier.reference]
    assert listed[0]["page"] == {
        "id": town_hall.pk,
        "title": town_hall.title,
        "commune_name": "Betton",
        "commune_cog": "35024",
    }
    assert list(EditorToken.objects.for_page(town_hall)) == list(town_hall.editor_tokens.all())


def test_editor_tokens_offer_every_qf_page_type_and_no_other_page(town_hall, qf_page, home_page):
    form = modelform_factory(EditorToken, fields=["pages"])()
    offered = set(form.fields["pages"].queryset.values_list("pk", flat=True))
    assert {town_hall.pk, qf_page.pk} <= offered
    assert home_page.pk not in offered


def test_own_page_type_dossiers_are_purged_after_its_retention(town_hall, make_submission):
    old = make_submission(town_hall, submitted_at=timezone.now() - datetime.timedelta(days=31))
    young = make_submission(town_hall, submitted_at=timezone.now() - datetime.timedelta(days=29))

    assert list(expired()) == [old]
    assert purge() == 1

    old.refresh_from_db()
    young.refresh_from_db()
    assert old.anonymised_at is not None and old.family_name == "" and old.qf_value is None
    assert young.anonymised_at is None and young.family_name == "DUPONT"


def test_own_page_type_serves_several_communes(town_hall):
    town_hall.served_communes.add(ServedCommune(cog="35024"))
    town_hall.served_communes.add(ServedCommune(cog="35051"))
    for commune in town_hall.served_communes.all():
        commune.clean()
    town_hall.save_revision().publish()

    page = TownHallQFPage.objects.get(pk=town_hall.pk)
    assert page.serves_several_communes
    assert [c.label for c in page.served_communes.all()] == ["Betton (35830)", "Cesson-Sévigné (35510)"]
    ServedCommune.objects.filter(page=page).delete()  # removed on their own: the flag follows
    assert not TownHallQFPage.objects.get(pk=page.pk).serves_several_communes


def test_webmaster_creates_own_page_type_with_brackets_in_admin(admin_client, home_page):
    url = f"/admin/pages/add/testapp/townhallqfpage/{home_page.pk}/"
    form = admin_client.get(url)
    assert "tariff_brackets-TOTAL_FORMS" in form.content.decode()
    data = {
        "title": "QF Betton",
        "slug": "qf-betton-admin",
        "opening_hours": "9 h – 12 h",
        "commune_name": "Betton",
        "commune_cog": "35024",
        "commune_postcode": "35830",
        "siret": "21350024500013",
        "month_rule": "current",
        # The data sources (Pass Famille) as the admin form sends them by default.
        "source_qf": "on",
        "require_qf": "on",
        "income_year_rule": "last",
        "bracket_basis": "qf",
        "texts-count": "0",
        "tariff_brackets-TOTAL_FORMS": "1",
        "tariff_brackets-INITIAL_FORMS": "0",
        "tariff_brackets-MIN_NUM_FORMS": "0",
        "tariff_brackets-MAX_NUM_FORMS": "1000",
        "tariff_brackets-0-label": "A",
        "tariff_brackets-0-qf_min": "0",
        "tariff_brackets-0-qf_max": "",
        "tariff_brackets-0-ORDER": "1",
        "served_communes-TOTAL_FORMS": "0",
        "served_communes-INITIAL_FORMS": "0",
        "served_communes-MIN_NUM_FORMS": "0",
        "served_communes-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = TownHallQFPage.objects.get(slug="qf-betton-admin")
    assert page.live and page.opening_hours == "9 h – 12 h"
    assert page.tariff_bracket(5000) == "A"
