"""On PostgreSQL the CSV is written by COPY: the tax and crèche columns must give Python's text."""

import pytest
from django.db import connection

from wagtail_qf.admin import exports
from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.models import Submission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
    ),
]


def test_copy_gives_the_pass_famille_columns_as_python(dgfip_on, make_qf_page, make_submission):
    page = make_qf_page(source_dgfip=True, source_eaje=True)
    address = {"texte": "1 RUE X 35000 RENNES", "complement": "", "voie": "1 RUE X", "commune": ""}
    make_submission(
        page,
        tax_data={"annee_revenus": 2025, "rfr": 36705, "nb_parts": 2.5, "situation_famille": "O"},
        eaje_data={"ressources_annuelles": 40923, "annee_calcul": 2023, "nombre_enfants_a_charge": 2},
        missing_sources={"qf": {"code": "timeout"}, "dgfip": {"code": "no_avis"}},
    )
    make_submission(
        page, tax_data={"nb_parts": 4.0, "adresse_fiscale": {**address, "code_postal_ville": "X"}}
    )
    make_submission(page, tax_data={"situation_famille": "Z", "adresse_fiscale": address})
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert "Pacsé ou pacsée" in python and "données fiscales (impots.gouv.fr), quotient familial" in python
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
