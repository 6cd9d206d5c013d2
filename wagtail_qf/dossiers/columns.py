"""The exported columns, defined once: a Python getter over ``export_rows`` and,
for PostgreSQL's ``COPY``, the SQL expression that yields the same text.

Both read the row as ``export_rows`` selects it; ``tests/admin/test_copy_export``
checks that the two give the same CSV.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import SubmissionStatus
from ..models.pages import qf_page_rows
from ..models.submissions import Provider

EXPORT_FIELDS = [
    "reference",
    "page_id",
    "page__title",
    "status",
    "submitted_at",
    "family_name",
    "given_names",
    "usage_name",
    "birthdate",
    "qf_value",
    "qf_month",
    "qf_year",
    "qf_provider",
    "tariff_bracket",
    "children",
    "address",
    "commune_cog",
    "commune_name",
]


@dataclass(frozen=True)
class Column:
    heading: str
    get: Callable[[dict], object]
    sql: str  # over the row "r"; {name} fields are filled by ``sql_fragments``


def export_rows(queryset):
    """The exported values as dicts: no model instance is built for a row."""
    return queryset.values(*EXPORT_FIELDS)


def _month(row):
    return f"{row['qf_month']:02d}/{row['qf_year']}" if row["qf_month"] and row["qf_year"] else ""


def _children(row):
    return ", ".join(
        f"{c.get('prenoms', '')} {c.get('nom_naissance', '')} ({c.get('date_naissance', '')})"
        for c in row["children"] or []
    )


def _address(row):
    return " ".join(v for v in (row["address"] or {}).values() if v)


def export_columns():
    """The columns; communes and labels are read once per export."""
    communes = {pk: page["commune_name"] for pk, page in qf_page_rows("commune_name").items()}
    statuses = {value: str(label) for value, label in SubmissionStatus.choices}
    providers = {value: str(label) for value, label in Provider.choices}
    return [
        Column(_("Référence"), lambda r: r["reference"], "r.reference"),
        # The dossier's commune (chosen on an intercommunal page), else the page's.
        Column(
            _("Commune"),
            lambda r: r["commune_name"] or communes.get(r["page_id"], ""),
            "coalesce(nullif(r.commune_name, ''), {commune})",
        ),
        Column(_("Page"), lambda r: r["page__title"], "r.page__title"),
        Column(_("Statut"), lambda r: statuses.get(r["status"], r["status"]), "{status}"),
        Column(
            _("Transmis le"),
            lambda r: r["submitted_at"],
            "to_char(r.submitted_at AT TIME ZONE {time_zone}, 'YYYY-MM-DD HH24:MI:SS')",
        ),
        Column(_("Nom de naissance"), lambda r: r["family_name"], "r.family_name"),
        Column(_("Prénoms"), lambda r: r["given_names"], "r.given_names"),
        Column(_("Nom d'usage"), lambda r: r["usage_name"], "r.usage_name"),
        Column(_("Date de naissance"), lambda r: r["birthdate"], "to_char(r.birthdate, 'YYYY-MM-DD')"),
        Column(_("Quotient familial (€)"), lambda r: r["qf_value"], "r.qf_value::text"),
        Column(
            _("Mois du QF"),
            _month,
            "CASE WHEN r.qf_month > 0 AND r.qf_year > 0"
            " THEN lpad(r.qf_month::text, 2, '0') || '/' || r.qf_year::text END",
        ),
        Column(_("Organisme"), lambda r: providers.get(r["qf_provider"], ""), "{provider}"),
        Column(_("Tranche tarifaire"), lambda r: r["tariff_bracket"], "r.tariff_bracket"),
        Column(
            _("Enfants concernés"),
            _children,
            "(SELECT string_agg(coalesce(c->>'prenoms', '') || ' ' || coalesce(c->>'nom_naissance', '')"
            " || ' (' || coalesce(c->>'date_naissance', '') || ')', ', ' ORDER BY n)"
            " FROM jsonb_array_elements(r.children) WITH ORDINALITY AS e(c, n))",
        ),
        Column(
            _("Adresse"),
            _address,
            "(SELECT string_agg(a.value, ' ') FROM jsonb_each_text(coalesce(r.address, '{{}}'))"
            " AS a WHERE a.value <> '')",
        ),
    ]


def _case(value_sql, mapping, default_sql, quote):
    whens = " ".join(f"WHEN {quote(key)} THEN {quote(str(label))}" for key, label in mapping.items())
    return f"CASE {value_sql} {whens} ELSE {default_sql} END" if whens else default_sql


def sql_fragments(quote, time_zone):
    """The ``{name}`` fields of the columns' SQL; ``quote`` makes a safe SQL literal."""
    communes = {pk: page["commune_name"] for pk, page in qf_page_rows("commune_name").items()}
    return {
        "commune": _case("r.page_id", communes, "''", quote),
        "status": _case("r.status", dict(SubmissionStatus.choices), "r.status", quote),
        "provider": _case("r.qf_provider", dict(Provider.choices), "''", quote),
        "time_zone": quote(time_zone),
    }
