"""Dossiers as JSON, with plain functions over ``.values()`` rows (no model instance per row).

The fields follow the admin's export columns (``dossiers.columns.EXPORT_FIELDS``),
as structured JSON rather than text. An anonymised dossier carries no personal
data: requester, family, address, QF value and external id are null or empty.

The requester's sex and places of birth go with the name and the date of birth: with
them the commune's software can renew the QF later through API Particulier's identity
mode. ``certified`` says whether FranceConnect certified them (else they were typed).
"""

from django.db.models import QuerySet

from ..models.pages import qf_page_rows
from ..models.submissions import Source
from .columns import EXPORT_FIELDS

API_FIELDS = list(
    dict.fromkeys(
        [f for f in EXPORT_FIELDS if f != "page__title"]
        + ["id", "source", "allocataires", "external_id", "anonymised_at"]
    )
)


def api_rows(queryset) -> QuerySet:
    return queryset.values(*API_FIELDS)


def page_infos(page_ids) -> dict:
    """``{page id: {id, title, commune_name, commune_cog}}``, read once per request."""
    rows = qf_page_rows("title", "commune_name", "commune_cog", pks=list(page_ids))
    return {
        row["pk"]: {
            "id": row["pk"],
            "title": row["title"],
            "commune_name": row["commune_name"],
            "commune_cog": row["commune_cog"],
        }
        for row in rows.values()
    }


def _date(value):
    return value.isoformat() if value else None


def requester(row: dict) -> dict:
    """Who transmitted: the identity of the dossier, each field null when it has none."""
    return {
        "family_name": row["family_name"],
        "given_names": row["given_names"],
        "usage_name": row["usage_name"],
        "birthdate": _date(row["birthdate"]),
        "gender": row["gender"] or None,
        "birthplace": row["birthplace"] or None,
        "birthcountry": row["birthcountry"] or None,
        # Typed on the form without FranceConnect, or by an agent at the counter: not certified.
        "certified": row["source"] == Source.FRANCECONNECT,
    }


def dossier(row: dict, pages: dict) -> dict:
    anonymised = row["anonymised_at"] is not None
    data = {
        "reference": row["reference"],
        "status": row["status"],
        "submitted_at": _date(row["submitted_at"]),
        "source": row["source"],
        "page": pages.get(row["page_id"], {"id": row["page_id"]}),
        "commune": {"cog": row["commune_cog"], "name": row["commune_name"]},
        "anonymised": anonymised,
        "qf": {
            "value": None if anonymised else row["qf_value"],
            "year": row["qf_year"],
            "month": row["qf_month"],
            "provider": row["qf_provider"] or None,
        },
        "tariff_bracket": row["tariff_bracket"],
        # Pass Famille: what the bracket applies to, the sources not obtained ({source: error code}).
        "tariff_basis": row["tariff_basis"] or "qf",
        "missing_sources": {
            source: (error or {}).get("code") for source, error in (row["missing_sources"] or {}).items()
        },
    }
    if anonymised:
        data.update(
            requester=None,
            allocataires=[],
            children=[],
            address=None,
            external_id=None,
            tax_data=None,
            eaje_data=None,
        )
    else:
        data.update(
            requester=requester(row),
            allocataires=row["allocataires"] or [],
            children=row["children"] or [],
            address=row["address"] or None,
            external_id=row["external_id"] or None,
            # The DGFiP's and the crèche data as the dossier keeps them (null when not collected).
            tax_data=row["tax_data"] or None,
            eaje_data=row["eaje_data"] or None,
        )
    return data


def dossier_of(submission) -> dict:
    """One dossier, as the API gives it (also the JSON deposited in HubEE)."""
    from ..models import Submission

    row = api_rows(Submission.objects.filter(pk=submission.pk)).get()
    return dossier(row, page_infos([row["page_id"]]))
