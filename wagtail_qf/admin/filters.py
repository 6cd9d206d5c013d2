import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..models import Submission, SubmissionStatus
from ..models.submissions import Provider
from .permissions import pages_for_user


class SubmissionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=SubmissionStatus.choices)
    page = django_filters.ModelChoiceFilter(label=_("Page / commune"), queryset=None)
    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Date de transmission"), widget=DateRangePickerWidget
    )
    qf_provider = django_filters.ChoiceFilter(label=_("Organisme"), choices=Provider.choices)

    class Meta:
        model = Submission
        fields = ["status", "page", "submitted_at", "qf_provider"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only the pages the agent may see are offered.
        self.filters["page"].queryset = pages_for_user(request.user).order_by("title")
