import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..dossiers.access import visible_page_ids, visible_pages
from ..models import Submission, SubmissionStatus
from ..models.submissions import Lookup, Provider


class SubmissionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=SubmissionStatus.choices)
    page = django_filters.ModelChoiceFilter(label=_("Page / commune"), queryset=None)
    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Date de transmission"), widget=DateRangePickerWidget
    )
    qf_provider = django_filters.ChoiceFilter(label=_("Organisme"), choices=Provider.choices)
    # Dossiers without FranceConnect: where their check with API Particulier stands.
    lookup = django_filters.ChoiceFilter(label=_("Vérification CAF/MSA"), choices=Lookup.choices)
    commune = django_filters.ChoiceFilter(label=_("Commune"), choices=(), method="filter_commune")

    class Meta:
        model = Submission
        fields = ["status", "page", "submitted_at", "qf_provider", "lookup"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only the pages the agent may see are offered.
        self.filters["page"].queryset = visible_pages(request.user).order_by("title")
        self.filters["commune"].extra["choices"] = commune_choices(request.user)

    def filter_commune(self, queryset, name, value) -> QuerySet:
        return queryset.filter(commune_cog=value) if value else queryset


def commune_choices(user) -> list[tuple[str, str]]:
    """(COG, label) of the communes of the pages ``user`` sees: their own and those they serve.

    Read from the pages, never from the dossiers (a million of them)."""
    from ..models import ServedCommune
    from ..models.pages import qf_page_rows

    pages = visible_page_ids(user)
    names = {  # an intercommunal page's own « commune » names the EPCI: its dossiers are its communes'
        page["commune_cog"]: page["commune_name"]
        for page in qf_page_rows("commune_cog", "commune_name", "serves_several_communes", pks=pages).values()
        if not page["serves_several_communes"]
    }
    names.update(ServedCommune.objects.filter(page__in=pages).values_list("cog", "name"))
    return sorted(((cog, f"{name} ({cog})") for cog, name in names.items()), key=lambda c: (c[1], c[0]))
