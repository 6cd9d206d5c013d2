"""On PostgreSQL the CSV is written by COPY: it must be the very same text as Python's."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from wagtail_qf.admin import exports
from wagtail_qf.dossiers.columns import Column, export_columns, export_rows
from wagtail_qf.models import Submission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
    ),
]


def test_copy_gives_the_same_csv_as_python(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    type(page_b).objects.filter(pk=page_b.pk).update(commune_name="L'Hermitage 100 %s")
    make_submission(
        page_a,
        family_name='=HYPERLINK("x")',
        given_names="Anne; Marie",
        usage_name="",
        status="awaiting",
        qf_provider="MSA",
        tariff_bracket="-B",
        submitted_at=timezone.make_aware(datetime.datetime(2026, 1, 2, 23, 30, 5, 120000), datetime.UTC),
        address={"numero_libelle_voie": '1 rue "Haute"', "lieu_dit": "", "pays": "FRANCE"},
    )
    make_submission(
        page_b,
        children=[],
        qf_value=None,
        qf_month=None,
        qf_year=None,
        qf_provider="",
        birthdate=None,
        given_names="Line\nbreak",
    )
    make_submission(
        page_a,
        children=[
            {"prenoms": "LÉA", "nom_naissance": "ÉTÉ", "date_naissance": "2015-05-06"},
            {"prenoms": "@TOM", "nom_naissance": "X"},
        ],
    )
    columns = export_columns()
    for dossiers in [Submission.objects.all(), Submission.objects.filter(family_name__contains="%")]:
        queryset = export_rows(dossiers.order_by("-submitted_at", "-pk"))  # without / with parameters
        python = "".join(exports._csv_pieces(columns, queryset))
        copied = b"".join(exports._copy_pieces(columns, queryset)).decode()
        assert copied == python
    assert python.count("\n") == 0  # nobody is called "%"
    everything = "".join(exports._csv_pieces(columns, export_rows(Submission.objects.all())))
    assert everything.count("\n") >= 4 and "L'Hermitage 100 %s" in everything


def test_copy_and_python_agree_on_any_text(two_communes, make_submission):
    """Every character PostgreSQL can store (a bare "\\r" quoted alike, ...) gives the same CSV."""
    page = two_communes[1]
    for code in [*range(1, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, 0xFEFF, 0x202E, 0xFFFF]:
        c = chr(code)
        make_submission(
            page,
            family_name=f"{c}=1",
            given_names=f"A{c}B",
            usage_name=c,
            children=[{"prenoms": f"L{c}", "nom_naissance": c}],
            address={"lieu_dit": f"{c}x"},
        )
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
    assert python.count('"A\rB"') == 1


def test_copy_and_python_agree_on_any_number_of_children_and_any_address(two_communes, make_submission):
    """One, two or three children are read without a subquery, more with one; an address
    missing or empty without one: each way gives the Python writer's text."""
    page = two_communes[1]
    children = [
        {"prenoms": "LÉA", "nom_naissance": "ÉTÉ", "date_naissance": "2015-05-06"},
        {"prenoms": "=TOM"},
        {"nom_naissance": "SANS PRÉNOM", "date_naissance": "2020-01-01"},
        {},
        {"prenoms": "ZOÉ", "nom_naissance": "X", "date_naissance": "2024-12-31"},
    ]
    addresses = [
        None,
        {},
        {"lieu_dit": ""},
        {"numero_libelle_voie": "1 rue Haute", "lieu_dit": "", "pays": "FRANCE"},
    ]
    for count in range(len(children) + 1):
        for address in addresses:
            make_submission(page, children=children[:count], address=address)
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
    assert "LÉA ÉTÉ (2015-05-06), =TOM  (), " in python and "ZOÉ X (2024-12-31)" in python
    assert "FRANCE 1 rue Haute" in python  # in the order PostgreSQL keeps the keys


@pytest.mark.django_db(transaction=True)  # as in a request: the export's own transaction
def test_the_copy_runs_without_jit_nor_parallel_workers_and_leaves_the_connection_as_it_was(
    two_communes, make_submission
):
    """Compiling the columns' expressions (PostgreSQL's JIT) cost more than it saved, and so did
    handing the wide rows over from parallel workers: both off for the export's COPY only."""
    make_submission(two_communes[1])
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
        cursor.execute("SET max_parallel_workers_per_gather = 2")
    settings = [
        Column("JIT", None, "current_setting('jit')"),
        Column("Workers", None, "current_setting('max_parallel_workers_per_gather')"),
    ]
    assert b"".join(exports._copy_pieces(settings, export_rows(Submission.objects.all()))) == b"off;0\n"
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("2",)
