"""Tariff brackets: the citizen and the agent see the bracket of the QF; the export has it."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.models import Submission, TariffBracket, bracket_for

from ..factories import family_result

pytestmark = pytest.mark.django_db


def brackets(page):
    for order, (label, low, high) in enumerate([("A", 0, 400), ("B", 401, 800), ("C", 801, None)]):
        TariffBracket.objects.create(page=page, sort_order=order, label=label, qf_min=low, qf_max=high)
    return page


@pytest.mark.parametrize(
    "value, label", [(0, "A"), (400, "A"), (401, "B"), (800, "B"), (801, "C"), (99999, "C"), (None, "")]
)
def test_bracket_boundaries(make_qf_page, value, label):
    page = brackets(make_qf_page())
    assert page.tariff_bracket(value) == label


def test_value_outside_every_bracket_has_none():
    items = [TariffBracket(label="A", qf_min=100, qf_max=200)]
    assert bracket_for(items, 50) == "" and bracket_for(items, 201) == ""


def test_maximum_below_minimum_is_refused():
    with pytest.raises(ValidationError):
        TariffBracket(label="X", qf_min=500, qf_max=100).clean()


def test_citizen_sees_the_bracket_and_the_dossier_keeps_it(client, make_qf_page, logged_in, admin_client):
    page = brackets(make_qf_page())
    token = logged_in(page, family_result(value=687))
    html = client.get(page.url + "quotient/").content.decode()
    assert "Votre tranche tarifaire : <strong>B</strong>" in html
    client.post(page.url + "quotient/", {"form_token": token, "confirm": "on", "no_child": "on"})
    submission = Submission.objects.get()
    assert submission.tariff_bracket == "B"
    detail = admin_client.get(f"/admin/quotients-familiaux/inspect/{submission.pk}/").content.decode()
    assert "Tranche tarifaire" in detail
    export = admin_client.get("/admin/quotients-familiaux/?export=csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    column = rows[0].index("Tranche tarifaire")
    assert rows[1][column] == "B"


def test_page_without_brackets_shows_none(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    assert "tranche tarifaire" not in client.get(qf_page.url + "quotient/").content.decode()
