"""``pip install wagtail-qf`` has no psycopg: the exports load and answer on SQLite without it.
(scripts/install-check boots a whole site from the wheel installed without extras.)"""

import importlib
import io
import sys

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

import wagtail_qf.admin

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's exports use psycopg"),
]


@pytest.fixture
def without_psycopg(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # "import psycopg" raises ImportError
    monkeypatch.setattr(wagtail_qf.admin, "exports", wagtail_qf.admin.exports)  # put back afterwards
    monkeypatch.delitem(sys.modules, "wagtail_qf.admin.exports")
    return importlib.import_module("wagtail_qf.admin.exports")


def test_exports_load_and_answer_without_psycopg(
    without_psycopg, client, make_agent, two_communes, make_submission, monkeypatch
):
    from wagtail_qf.admin import views

    monkeypatch.setattr(views, "exports", without_psycopg)
    make_submission(two_communes[1], family_name="MARTIN")
    client.force_login(make_agent("sandrine", two_communes[0]))
    index = reverse("wagtail_qf_submissions:index")
    csv_text = b"".join(client.get(index + "?export=csv").streaming_content).decode("utf-8-sig")
    assert csv_text.count("\n") == 2 and "MARTIN" in csv_text
    workbook = load_workbook(io.BytesIO(b"".join(client.get(index + "?export=xlsx").streaming_content)))
    assert [row[5] for row in workbook.active.values] == ["Nom de naissance", "MARTIN"]
