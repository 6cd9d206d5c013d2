"""Intercommunal pages in the inbox: the « Commune » filter, the detail and the export column."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from wagtail_qf.admin import exports
from wagtail_qf.admin.filters import commune_choices
from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.models import ServedCommune, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def epci(two_communes, make_submission):
    """Page A serves Cesson-Sévigné, Betton and Acigné; page B is Rennes' own page."""
    _home_a, page_a, _home_b, page_b = two_communes
    type(page_a).objects.filter(pk=page_a.pk).update(commune_name="Rennes Métropole Est")
    for order, cog in enumerate(["35051", "35024", "35001"]):
        commune = ServedCommune(page=page_a, sort_order=order, cog=cog)
        commune.clean()
        commune.save()
    return {
        "betton": make_submission(page_a, family_name="MARTIN", commune_cog="35024", commune_name="Betton"),
        "cesson": make_submission(
            page_a, family_name="PETIT", commune_cog="35051", commune_name="Cesson-Sévigné"
        ),
        "older": make_submission(page_a, family_name="ANCIEN"),  # no commune of its own
        "rennes": make_submission(page_b, family_name="DURAND", commune_cog="35238", commune_name="Rennes"),
    }


@pytest.fixture
def agent_a(make_agent, two_communes):
    return make_agent("sandrine", two_communes[0])


def index(client, **params):
    return client.get(reverse("wagtail_qf_submissions:index"), params)


def refs(response):
    return {row.reference for row in response.context["object_list"]}


def test_commune_filter_offers_the_communes_the_agent_may_see(client, agent_a, epci):
    assert commune_choices(agent_a) == [
        ("35001", "Acigné (35001)"),
        ("35024", "Betton (35024)"),
        ("35051", "Cesson-Sévigné (35051)"),
    ]
    client.force_login(agent_a)
    html = index(client).content.decode()
    assert "Commune" in html and "Betton (35024)" in html and "Rennes (35238)" not in html


def test_commune_filter(client, agent_a, admin_client, epci, two_communes):
    client.force_login(agent_a)
    assert refs(index(client, commune="35024")) == {epci["betton"].reference}
    assert refs(index(client, commune="35051")) == {epci["cesson"].reference}
    assert refs(index(client, commune="35001")) == set()
    # A dossier without a commune of its own is shown without the filter only.
    assert refs(index(client)) == {epci[k].reference for k in ("betton", "cesson", "older")}
    # Another site's commune is not offered to agent A, but is to a superuser.
    assert epci["rennes"].reference not in refs(index(client, commune="35238"))
    assert refs(index(admin_client, commune="35238")) == {epci["rennes"].reference}


def test_detail_shows_the_commune(client, agent_a, epci):
    client.force_login(agent_a)
    url = reverse("wagtail_qf_submissions:inspect", args=[epci["betton"].pk])
    html = client.get(url).content.decode()
    assert "Commune destinataire" in html and "Betton (35024)" in html and "Service gestionnaire" in html
    older = client.get(reverse("wagtail_qf_submissions:inspect", args=[epci["older"].pk])).content.decode()
    assert "Service gestionnaire" not in older


def test_export_column_commune(client, agent_a, epci):
    client.force_login(agent_a)
    response = index(client, export="csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    column, name = rows[0].index("Commune"), rows[0].index("Nom de naissance")
    communes = {row[name]: row[column] for row in rows[1:]}
    assert communes == {"MARTIN": "Betton", "PETIT": "Cesson-Sévigné", "ANCIEN": "Rennes Métropole Est"}


def test_export_rows_select_the_commune():
    query = str(export_rows(Submission.objects.all()).query)
    assert "commune_cog" in query and "commune_name" in query


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
)
def test_copy_gives_the_same_commune_as_python(epci):
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("-submitted_at", "-pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    copied = b"".join(exports._copy_pieces(columns, queryset)).decode()
    assert copied == python and "Betton" in python and "Rennes Métropole Est" in python
