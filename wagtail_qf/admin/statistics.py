"""The statistics page: dossiers per week or month, status, source and tariff bracket, time to
process, the citizen's journey and the failures of the services it calls (issue 19).

Seen like the inbox: an agent gets the figures of the pages whose dossiers they see
(``dossiers.access``), a superuser those of every page. Every figure comes from counters kept
by the database (``dossiers.statistics``): the page runs the same few queries, over a few
hundred rows, whatever the number of dossiers. Charts are SVG drawn here, each beside its table;
the tables download as CSV, cells neutralised as in the exports.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..dossiers import statistics
from ..dossiers.access import page_ids_for_user, pages_for_user
from ..models import SubmissionStatus
from ..models.submissions import Provider, Source
from .exports import csv_text, neutralise
from .permissions import permission_policy

URL_NAME = "wagtail_qf_statistics"
# The default period: the last twelve weeks, today included.
DEFAULT_DAYS = 12 * 7
# A longer period is shown per month unless asked otherwise.
WEEKS_UP_TO_DAYS = 183
UNITS = (("week", gettext_lazy("Par semaine")), ("month", gettext_lazy("Par mois")))
PROVIDERS = {
    "particulier": gettext_lazy("API Particulier (CAF, MSA)"),
    "dgfip": gettext_lazy("DGFiP (impôts)"),
    "franceconnect": gettext_lazy("FranceConnect"),
}


class StatisticsFilterForm(forms.Form):
    page = forms.ModelChoiceField(
        label=gettext_lazy("Page / commune"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Toutes vos pages"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("Transmis à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Transmis jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous les statuts")), *SubmissionStatus.choices],
    )
    unit = forms.ChoiceField(label=gettext_lazy("Regroupement"), required=False, choices=UNITS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = pages_for_user(user).order_by("title")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("La date de début doit précéder la date de fin : corrigez l'une des deux dates."),
                code="period",
            )
        return data

    def chosen(self) -> dict:
        """The filters typed right: a wrong date (said on the form) never drops the page or the
        status chosen beside it; a period ending before it starts counts as none."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = dict(self.cleaned_data)
        if self.non_field_errors():
            data.pop("date_from", None)
            data.pop("date_to", None)
        return data

    def period(self) -> statistics.Period:
        """The chosen period, or the last twelve weeks; per month when longer than six months."""
        data = self.chosen()
        today = timezone.localdate()
        # A start given alone runs to today, or is a day of its own when later: never ending before it.
        end = data.get("date_to") or max(today, data.get("date_from") or today)
        start = data.get("date_from") or min(end, today) - datetime.timedelta(days=DEFAULT_DAYS - 1)
        unit = data.get("unit") or ("week" if (end - start).days < WEEKS_UP_TO_DAYS else "month")
        return statistics.Period(start, end, unit)


class StatisticsMenuItem(MenuItem):
    """In *Rapports*, for whoever sees dossiers."""

    def is_shown(self, request) -> bool:
        return permission_policy.user_has_permission(request.user, "view")


def menu_item() -> StatisticsMenuItem:
    return StatisticsMenuItem(
        gettext_lazy("Statistiques des dossiers de quotient familial"),
        reverse(URL_NAME),
        icon_name="table",
        order=900,
    )


class StatisticsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_qf/admin/statistics.html"
    page_title = gettext_lazy("Statistiques des dossiers de quotient familial")
    header_icon = "table"
    export_filename = "statistiques-quotients-familiaux"

    def dispatch(self, request, *args, **kwargs):
        if not permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("export") == "csv":
            return csv_response(context["sections"], self.export_filename)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = StatisticsFilterForm(self.request.GET or None, user=user)
        filters = form.chosen()
        chosen, status = filters.get("page"), filters.get("status") or ""
        period = form.period()
        # The pages whose figures are shown: those the user sees (all for a superuser), or the chosen one.
        page_ids = [chosen.pk] if chosen else page_ids_for_user(user)
        # The dossiers' counters of those pages: the inbox's rule (``submissions_for_user``).
        in_period = statistics.dossiers_of(page_ids, period, status)
        export_query = self.request.GET.copy()
        export_query["export"] = "csv"
        context.update(
            form=form,
            period=period,
            sections=figures(page_ids, in_period, period),
            export_url=f"{self.request.path}?{export_query.urlencode()}",
            status_label=dict(SubmissionStatus.choices).get(status, ""),
        )
        return context


def figures(page_ids, dossiers, period) -> list[dict]:
    """The sections of the page, in order: each a title, a table (headings, rows) and a chart."""
    by_status = statistics.per_status(page_ids)
    total = sum(by_status.values())
    awaiting = by_status.get(SubmissionStatus.AWAITING, 0)
    sources = statistics.per_source(dossiers)
    delays = statistics.processing_delays(dossiers)
    funnel = statistics.funnel(page_ids, period)
    unit_label = _("Semaine du") if period.unit == "week" else _("Mois")
    slot_format = "j F Y" if period.unit == "week" else "F Y"
    organisms = [(Provider.CNAF.label, sources[Provider.CNAF]), (Provider.MSA.label, sources[Provider.MSA])]
    organisms.append((_("Sans quotient familial (non trouvé ou vérification en attente)"), sources["none"]))
    if sources["dgfip"]:
        organisms.append((_("dont avec les données fiscales (DGFiP)"), sources["dgfip"]))
    # Shares of the FranceConnect logins launched: of the steps that follow one, never of the
    # dossiers transmitted without FranceConnect (nor of a total that includes them).
    started = funnel[statistics.START]
    funnel_rows = [
        (label, _share(funnel[event], started), funnel[event])
        for event, label in (
            (statistics.START, _("Connexion FranceConnect lancée")),
            (statistics.LOGGED_IN, _("Connexion FranceConnect réussie")),
            (statistics.DATA_OBTAINED, _("Données obtenues")),
        )
    ]
    by_path = funnel["transmitted_by_path"]
    with_franceconnect = by_path.get(Source.FRANCECONNECT, 0)
    funnel_rows += [
        (_("Dossiers transmis"), "–", funnel[statistics.TRANSMITTED]),
        (_("dont avec FranceConnect"), _share(with_franceconnect, started), with_franceconnect),
        (_("dont sans FranceConnect"), "–", by_path.get(Source.IDENTITY, 0)),
    ]
    failures = [
        (str(PROVIDERS.get(provider, provider)), code, count)
        for provider, code, count in statistics.failures(page_ids, period)
    ]
    return [
        _section(
            "periode",
            _("Dossiers transmis sur la période"),
            [unit_label, _("Dossiers")],
            [(date_format(slot, slot_format), n) for slot, n in statistics.per_period(dossiers, period)],
        ),
        _section(
            "statuts",
            _("Dossiers par statut aujourd'hui (toutes dates de transmission)"),
            [_("Statut"), _("Dossiers")],
            [(label, by_status.get(value, 0)) for value, label in SubmissionStatus.choices],
            note=_("En attente de compléments : %(share)s des dossiers (%(count)s sur %(total)s).")
            % {"share": _share(awaiting, total), "count": awaiting, "total": total},
        ),
        _section("organismes", _("Dossiers par organisme"), [_("Organisme"), _("Dossiers")], organisms),
        _section(
            "parcours",
            _("Dossiers par parcours"),
            [_("Parcours"), _("Dossiers")],
            [(source.label, sources[source.value]) for source in Source],
        ),
        _section(
            "tranches",
            _("Dossiers par tranche tarifaire"),
            [_("Tranche"), _("Dossiers")],
            [(bracket or _("Sans tranche"), n) for bracket, n in statistics.per_bracket(dossiers)],
        ),
        _section(
            "delais",
            _("Délai entre la transmission et « Traité » ou « Clos »"),
            [_("Mesure"), _("Valeur")],
            [
                (_("Dossiers traités ou clos"), delays.count),
                (_("Délai médian"), duration_label(delays.median)),
                (_("Délai dans lequel 90 % des dossiers sont traités"), duration_label(delays.p90)),
            ],
            chart=False,
        ),
        _section(
            "demarche",
            _("Parcours des usagers sur la période"),
            [_("Étape"), _("Part des connexions FranceConnect lancées"), _("Nombre")],
            funnel_rows,
        ),
        _section(
            "echecs",
            _("Échecs des services partenaires sur la période"),
            [_("Service"), _("Code d'erreur"), _("Nombre")],
            failures,
            empty=_("Aucun échec enregistré sur la période."),
        ),
    ]


def _share(part, whole) -> str:
    return f"{number_format(100 * part / whole, 0)} %" if whole else "–"


def _section(key, title, headings, rows, *, chart=True, note="", empty="") -> dict:
    """A table; its chart draws the last column (a count) against the others (the label)."""
    rows = [tuple(row) for row in rows]
    bars = [(" ".join(str(cell) for cell in row[:-1]), row[-1]) for row in rows]
    return {
        "key": key,
        "title": title,
        "headings": headings,
        "rows": rows,
        "note": note,
        "empty": empty,
        "chart": bar_chart(key, title, bars) if chart and rows else None,
    }


# -- charts ------------------------------------------------------------------------
WIDTH = 600
BAR_HEIGHT = 18
ROW_HEIGHT = 44  # the label above its bar
BAR_SPACE = 520  # the rest holds the value written after the bar


def bar_chart(key, title, rows) -> dict:
    """Horizontal bars, each under its label, its value after it. Coordinates are strings:
    a template would write numbers the French way (« 12,5 »), which SVG does not read."""
    top = max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * ROW_HEIGHT
        width = BAR_SPACE * value / (top or 1)
        bars.append(
            {
                "label": label,
                "value": value,
                "label_y": f"{y + 14}",
                "bar_y": f"{y + 20}",
                "width": f"{width:.1f}",
                "value_x": f"{width + 6:.1f}",
                "value_y": f"{y + 34}",
            }
        )
    return {
        "id": f"qf-chart-{key}",
        "title": title,
        "description": ngettext(
            "Diagramme en barres horizontales, %(count)d barre, de 0 à %(top)s. Les chiffres sont dans "
            "le tableau qui suit.",
            "Diagramme en barres horizontales, %(count)d barres, de 0 à %(top)s. Les chiffres sont dans "
            "le tableau qui suit.",
            len(bars),
        )
        % {"count": len(bars), "top": top},
        "bars": bars,
        "width": WIDTH,
        "height": len(bars) * ROW_HEIGHT,
    }


def duration_label(delay: datetime.timedelta | None) -> str:
    """« 3 jours et 4 heures », « 5 heures », « moins d'une heure »; « – » when none."""
    if delay is None:
        return "–"
    days, hours = delay.days, delay.seconds // 3600
    day_text = ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    hour_text = ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}
    if days and hours:
        return _("%(days)s et %(hours)s") % {"days": day_text, "hours": hour_text}
    if days:
        return day_text
    return hour_text if hours else _("moins d'une heure")


def csv_response(sections, filename) -> HttpResponse:
    """Every table of the page, one after the other: section; then its headings and rows."""
    rows = []
    for section in sections:
        rows.append([neutralise(str(section["title"]))])
        rows.append([neutralise(str(heading)) for heading in section["headings"]])
        rows += [
            [neutralise(cell if isinstance(cell, int) else str(cell)) for cell in row]
            for row in section["rows"]
        ]
        rows.append([])
    response = HttpResponse("\ufeff" + csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
