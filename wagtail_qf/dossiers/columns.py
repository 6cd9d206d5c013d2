"""The exported columns, defined once: a Python getter over ``export_rows`` and,
for PostgreSQL's ``COPY``, the SQL expression that yields the same text.

Both read the row as ``export_rows`` selects it; ``tests/admin/test_copy_export``
checks that the two give the same CSV.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..dgfip.types import FAMILY_SITUATIONS
from ..models import SubmissionStatus
from ..models.pages import qf_page_rows
from ..models.submissions import GENDERS, Provider, Source
from ..sources import DataSource, tax_address_line

SOURCE_LABELS = {source.value: source.label for source in DataSource}
# Whether the identity is certified, as the dossier's page and PDF say it (``dossier_display``).
IDENTITY_ORIGINS = {
    Source.FRANCECONNECT.value: _("certifiée par FranceConnect"),
    Source.IDENTITY.value: _("saisie par le demandeur, non certifiée"),
    Source.COUNTER.value: _("saisie par l'agent au guichet, non certifiée"),
}

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
    "gender",
    "birthplace",
    "birthcountry",
    "source",
    "qf_value",
    "qf_month",
    "qf_year",
    "qf_provider",
    "tariff_bracket",
    "children",
    "address",
    "commune_cog",
    "commune_name",
    "tax_data",
    "eaje_data",
    "missing_sources",
    "tariff_basis",
]


@dataclass(frozen=True)
class Column:
    heading: str
    get: Callable[[dict], object]
    sql: str  # over the row "r"; {name} fields are filled by ``sql_fragments``


def export_rows(queryset) -> QuerySet:
    """The exported values as dicts: no model instance is built for a row."""
    return queryset.values(*EXPORT_FIELDS)


def _month(row):
    return f"{row['qf_month']:02d}/{row['qf_year']}" if row["qf_month"] and row["qf_year"] else ""


def _children(row):
    return ", ".join(
        f"{c.get('prenoms', '')} {c.get('nom_naissance', '')} ({c.get('date_naissance', '')})"
        for c in row["children"] or []
    )


def _child_sql(child) -> str:
    return (
        f"coalesce({child}->>'prenoms', '') || ' ' || coalesce({child}->>'nom_naissance', '')"
        f" || ' (' || coalesce({child}->>'date_naissance', '') || ')'"
    )


def _children_sql() -> str:
    """``_children`` in SQL. A subquery over the array's elements for each row was the export's
    costliest column: one, two or three children (nearly every family) are read without one."""
    listed = {
        count: " || ', ' || ".join(_child_sql(f"(r.children->{i})") for i in range(count))
        for count in (1, 2, 3)
    }
    whens = "".join(f" WHEN {count} THEN {sql}" for count, sql in listed.items())
    every = (
        f"(SELECT string_agg({_child_sql('c')}, ', ' ORDER BY n)"  # noqa: S608 -- constant SQL, no value in it
        " FROM jsonb_array_elements(r.children) WITH ORDINALITY AS e(c, n))"
    )
    return f"CASE jsonb_array_length(r.children) WHEN 0 THEN NULL{whens} ELSE {every} END"


def _address(row):
    return " ".join(v for v in (row["address"] or {}).values() if v)


def _tax(key):
    return lambda r: (r["tax_data"] or {}).get(key)


def _eaje(key):
    return lambda r: (r["eaje_data"] or {}).get(key)


def _tax_address(row):
    return tax_address_line((row["tax_data"] or {}).get("adresse_fiscale"))


def _family_situation(row):
    situation = (row["tax_data"] or {}).get("situation_famille") or ""
    return str(FAMILY_SITUATIONS.get(situation, situation))


def _missing(row):
    keys = sorted(key for key in row["missing_sources"] or {} if key in SOURCE_LABELS)
    return ", ".join(str(SOURCE_LABELS[key]) for key in keys)


def _collected_before(source: str) -> bool:
    """Whether dossiers may hold ``source``'s data though no page collects it now (the webmaster
    unticked it since): they keep what the family transmitted, and the exports show it. For the
    tax data, a dossier counted with tax data (``DossierCount``, kept by the database); for the
    crèche data, a QF page that collected it in one of its revisions. Two small reads, never a
    scan of the dossiers."""
    from wagtail.models import Revision

    from ..models import DossierCount
    from ..models.pages import qf_page_content_types

    if source == "dgfip" and DossierCount.objects.filter(with_tax_data=True, count__gt=0).exists():
        return True
    revisions = Revision.objects.filter(content_type__in=qf_page_content_types())
    return revisions.filter(**{f"content__source_{source}": True}).exists()


def pass_famille_columns() -> list[Column]:
    """The columns of the tax and crèche data, when a page collects them (Pass Famille), or
    collected them for dossiers that still hold them."""
    used = set()
    for page in qf_page_rows("source_dgfip", "source_eaje").values():
        used.update(source for source in ("dgfip", "eaje") if page[f"source_{source}"])
    used.update(source for source in ("dgfip", "eaje") if source not in used and _collected_before(source))
    columns = []
    if "dgfip" in used:
        columns += [
            Column(_("Année des revenus"), _tax("annee_revenus"), "r.tax_data->>'annee_revenus'"),
            Column(_("Revenu fiscal de référence (€)"), _tax("rfr"), "r.tax_data->>'rfr'"),
            Column(
                _("Nombre de parts"),
                _tax("nb_parts"),
                "replace(r.tax_data->>'nb_parts', '.', ',')",  # the decimal comma of ``exports._cells``
            ),
            Column(
                _("Situation de famille"),
                _family_situation,
                "{family_situation}",
            ),
            Column(_("Personnes à charge"), _tax("personnes_a_charge"), "r.tax_data->>'personnes_a_charge'"),
            Column(
                _("Adresse fiscale"),
                _tax_address,
                "(SELECT coalesce(nullif(concat_ws(' ', nullif(a->>'complement', ''), nullif(a->>'voie', ''),"
                " nullif(a->>'commune', ''), nullif(a->>'code_postal_ville', '')), ''), a->>'texte')"
                " FROM (SELECT r.tax_data->'adresse_fiscale' AS a) AS t)",
            ),
        ]
    if "eaje" in used:
        columns += [
            Column(
                _("Ressources annuelles EAJE (€)"),
                _eaje("ressources_annuelles"),
                "r.eaje_data->>'ressources_annuelles'",
            ),
            Column(
                _("Année du calcul des ressources"), _eaje("annee_calcul"), "r.eaje_data->>'annee_calcul'"
            ),
            Column(
                _("Enfants à charge (EAJE)"),
                _eaje("nombre_enfants_a_charge"),
                "r.eaje_data->>'nombre_enfants_a_charge'",
            ),
            Column(
                _("Enfants bénéficiaires de l'AEEH"),
                _eaje("nombre_enfants_beneficiaire_aeeh"),
                "r.eaje_data->>'nombre_enfants_beneficiaire_aeeh'",
            ),
        ]
    if used:
        columns.append(
            Column(
                _("Données non obtenues"),
                _missing,
                "(SELECT string_agg({source_label}, ', ' ORDER BY k) FROM"
                " jsonb_object_keys(coalesce(r.missing_sources, '{{}}')) AS k WHERE k IN ('dgfip', 'eaje', 'qf'))",
            )
        )
    return columns


def export_columns() -> list[Column]:
    """The columns; communes and labels are read once per export."""
    communes = {pk: page["commune_name"] for pk, page in qf_page_rows("commune_name").items()}
    statuses = {value: str(label) for value, label in SubmissionStatus.choices}
    providers = {value: str(label) for value, label in Provider.choices}
    genders = {value: str(label) for value, label in GENDERS.items()}
    origins = {value: str(label) for value, label in IDENTITY_ORIGINS.items()}
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
        Column(
            _("Date de naissance"), lambda r: r["birthdate"], "to_char(r.birthdate::timestamp, 'YYYY-MM-DD')"
        ),
        # What API Particulier's identity mode needs to renew the QF later (empty when not known).
        Column(_("Sexe"), lambda r: genders.get(r["gender"], r["gender"]), "{gender}"),
        Column(_("Commune de naissance (COG)"), lambda r: r["birthplace"], "r.birthplace"),
        Column(_("Pays de naissance (COG)"), lambda r: r["birthcountry"], "r.birthcountry"),
        Column(_("Identité"), lambda r: origins.get(r["source"], r["source"]), "{identity_origin}"),
        Column(_("Quotient familial (€)"), lambda r: r["qf_value"], "r.qf_value::text"),
        Column(
            _("Mois du QF"),
            _month,
            "CASE WHEN r.qf_month > 0 AND r.qf_year > 0"
            " THEN lpad(r.qf_month::text, 2, '0') || '/' || r.qf_year::text END",
        ),
        Column(_("Organisme"), lambda r: providers.get(r["qf_provider"], ""), "{provider}"),
        Column(_("Tranche tarifaire"), lambda r: r["tariff_bracket"], "r.tariff_bracket"),
        Column(_("Enfants concernés"), _children, _children_sql()),
        Column(
            _("Adresse"),
            _address,
            # No address (a dossier typed without one) costs no subquery.
            "CASE WHEN r.address IS NOT NULL AND r.address <> '{{}}' THEN (SELECT string_agg(a.value, ' ')"
            " FROM jsonb_each_text(r.address) AS a WHERE a.value <> '') END",
        ),
        *pass_famille_columns(),
    ]


def _case(value_sql, mapping, default_sql, quote):
    whens = " ".join(f"WHEN {quote(key)} THEN {quote(str(label))}" for key, label in mapping.items())
    return f"CASE {value_sql} {whens} ELSE {default_sql} END" if whens else default_sql


def sql_fragments(quote, time_zone) -> dict[str, str]:
    """The ``{name}`` fields of the columns' SQL; ``quote`` makes a safe SQL literal."""
    communes = {pk: page["commune_name"] for pk, page in qf_page_rows("commune_name").items()}
    return {
        "commune": _case("r.page_id", communes, "''", quote),
        "status": _case("r.status", dict(SubmissionStatus.choices), "r.status", quote),
        "provider": _case("r.qf_provider", dict(Provider.choices), "''", quote),
        "gender": _case("r.gender", GENDERS, "r.gender", quote),
        "identity_origin": _case("r.source", IDENTITY_ORIGINS, "r.source", quote),
        "time_zone": quote(time_zone),
        "family_situation": _case(
            "r.tax_data->>'situation_famille'",
            FAMILY_SITUATIONS,
            "coalesce(r.tax_data->>'situation_famille', '')",
            quote,
        ),
        "source_label": _case("k", SOURCE_LABELS, "k", quote),
    }
