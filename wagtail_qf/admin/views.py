"""Inbox views: listing with status tabs, detail with history, bulk status change."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views import generic

from ..dossier_display import display_of
from ..dossiers import history
from ..dossiers.access import submissions_for_user
from ..dossiers.columns import export_columns, export_rows
from ..models import SubmissionStatus
from . import counter, exports, status_counts
from .filters import SubmissionFilterSet
from .forms import BulkStatusForm, CommentForm, StatusForm
from .permissions import permission_policy
from .table import BulkCheckboxColumn, DateTimeColumn, PlainColumn, ReferenceColumn


class StatusTabsMixin:
    """Counts per status of the listing, every other filter applied."""

    def status_tabs(self):
        params = self.request.GET.copy()
        for key in ("status", "p", "export", "_w_filter_fragment", "ordering"):
            params.pop(key, None)
        current = self.request.GET.get("status", "")
        counts = status_counts.get(
            self.request.user,
            params,
            lambda: self.search_queryset(self.filter_queryset_except_status()),
        )
        base = self.index_url
        tabs = [("", _("Tous"), sum(counts.values()))]
        tabs += [(value, label, counts.get(value, 0)) for value, label in SubmissionStatus.choices]
        result = []
        for value, label, count in tabs:
            query = params.copy()
            if value:
                query["status"] = value
            result.append(
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "url": f"{base}?{query.urlencode()}",
                    "active": value == current,
                }
            )
        return result

    def filter_queryset_except_status(self):
        queryset = self.get_base_queryset()
        if self.filters and self.filters.is_valid():
            data = dict(self.filters.form.cleaned_data)
            data.pop("status", None)
            for name, value in data.items():
                if value not in (None, "", []):
                    queryset = self.filters.filters[name].filter(queryset, value)
        return queryset


REFERENCE = re.compile(r"^QF-[0-9A-Z]{4}-[0-9A-Z]{4}$", re.IGNORECASE)


class CountedPaginator(Paginator):
    """A paginator told its count (already known from the status tabs)."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count


class SubmissionIndexView(StatusTabsMixin, generic.IndexView):
    results_template_name = "wagtail_qf/admin/index_results.html"
    filterset_class = SubmissionFilterSet
    search_fields = ["reference", "family_name", "usage_name"]
    default_ordering = "-submitted_at"
    list_export = ["reference"]  # enables the export buttons; columns below
    export_filename = "dossiers-quotient-familial"

    def get_base_queryset(self):
        return submissions_for_user(self.request.user).select_related("page")

    def search_queryset(self, queryset):
        # A reference is looked up exactly (unique index), not scanned with LIKE.
        if self.is_searching and REFERENCE.match(self.search_query.strip()):
            return queryset.filter(reference=self.search_query.strip().upper())
        return super().search_queryset(queryset)

    @cached_property
    def tabs(self):
        return self.status_tabs()

    @cached_property
    def header_buttons(self):
        button = counter.header_button(self.request.user)
        return super().header_buttons + ([button] if button else [])

    def get_paginator(self, queryset, per_page, **kwargs):
        # The tabs already counted the listing: no second COUNT over the dossiers.
        current = self.request.GET.get("status", "")
        known = next((tab["count"] for tab in self.tabs if tab["value"] == current), None)
        if self.filters and not self.filters.is_valid():
            known = None
        return CountedPaginator(queryset, per_page, known_count=known, **kwargs)

    @cached_property
    def columns(self):
        return [
            BulkCheckboxColumn("select"),
            ReferenceColumn(
                "reference", url_name=self.inspect_url_name, label=_("Référence"), sort_key="reference"
            ),
            PlainColumn("requester_name", label=_("Demandeur")),
            PlainColumn("page", label=_("Page")),
            PlainColumn("qf_value", label=_("QF (€)"), sort_key="qf_value"),
            PlainColumn("get_qf_provider_display", label=_("Organisme")),
            PlainColumn("get_status_display", label=_("Statut"), sort_key="status"),
            DateTimeColumn("submitted_at", label=_("Transmis le"), sort_key="submitted_at"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_tabs"] = self.tabs
        context["bulk_form"] = BulkStatusForm()
        context["bulk_url"] = reverse("wagtail_qf_submissions:bulk")
        context["can_change"] = permission_policy.user_has_permission(self.request.user, "change")
        return context

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the stream: the listing's context (table, pagination) is not
            # built, so the dossiers are read once, a chunk at a time.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self):
        return permission_policy.user_has_permission(self.request.user, "export")

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return spreadsheet_response(self.request.user, queryset, spreadsheet_format, self.get_filename())


def spreadsheet_response(user, queryset, spreadsheet_format, filename):
    """Every export of dossiers (inbox, selection, modeladmin): refused without
    ``export_submission``, recorded, with formula-like cells neutralised.

    ``queryset`` holds only dossiers ``user`` may see (``submissions_for_user``)."""
    if not permission_policy.user_has_permission(user, "export"):
        raise PermissionDenied
    spreadsheet_format = "xlsx" if spreadsheet_format == "xlsx" else "csv"
    history.log_export(queryset, user, spreadsheet_format)
    respond = exports.xlsx_response if spreadsheet_format == "xlsx" else exports.csv_response
    return respond(export_columns(), export_rows(queryset), filename)


class SubmissionDetailView(generic.InspectView):
    template_name = "wagtail_qf/admin/detail.html"
    page_title = gettext_lazy("Dossier")

    def get_object(self, queryset=None):
        return get_object_or_404(submissions_for_user(self.request.user).select_related("page"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.reference

    def get(self, request, *args, **kwargs):
        history.record_view(self.object, request.user)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not permission_policy.user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied
        if "comment" in request.POST:
            form = CommentForm(request.POST)
            if form.is_valid():
                history.add_comment(self.object, request.user, form.cleaned_data["comment"])
                messages.success(request, _("Commentaire ajouté."))
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(comment_form=form))
        form = StatusForm(request.POST)
        if form.is_valid():
            changed = history.change_status(
                self.object, form.cleaned_data["status"], request.user, form.cleaned_data["message"]
            )
            if changed:
                messages.success(request, _("Statut modifié."))
            return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(status_form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        context.update(
            submission=submission,
            display=display_of(submission),
            history=history.entries(submission),
            can_change=permission_policy.user_has_permission_for_instance(
                self.request.user, "change", submission
            ),
            status_form=kwargs.get("status_form") or StatusForm(initial={"status": submission.status}),
            comment_form=kwargs.get("comment_form") or CommentForm(),
        )
        return context


class SubmissionPDFView(View):
    """The dossier's PDF summary, for the agents who may see it."""

    def get(self, request, pk):
        from ..summary_pdf import pdf_response  # reportlab is loaded only when a PDF is asked for

        submission = get_object_or_404(submissions_for_user(request.user).select_related("page"), pk=pk)
        history.record_pdf(submission, request.user)
        return pdf_response(submission)


class BulkActionView(View):
    """Bulk actions on the selected dossiers: change their status, or export them."""

    def post(self, request):
        form = BulkStatusForm(request.POST)
        if "export" in request.POST:
            if not permission_policy.user_has_permission(request.user, "export"):
                raise PermissionDenied
        elif not permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
        if not ids:
            messages.error(request, _("Aucun dossier sélectionné : cochez au moins un dossier de la liste."))
            return HttpResponseRedirect(self.next_url(request))
        selected = submissions_for_user(request.user).filter(pk__in=ids)
        if "export" in request.POST:
            return spreadsheet_response(
                request.user, selected.order_by("-submitted_at"), request.POST["export"], "dossiers-selection"
            )
        if form.is_valid():
            status = form.cleaned_data["status"]
            changed = sum(history.change_status(s, status, request.user) for s in selected)
            messages.success(request, _("%(n)d dossier(s) modifié(s).") % {"n": changed})
        else:
            messages.error(request, _("Choisissez le nouveau statut des dossiers sélectionnés."))
        return HttpResponseRedirect(self.next_url(request))

    @staticmethod
    def next_url(request):
        """Back to the listing the form was posted from: an address of this site only."""
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return reverse("wagtail_qf_submissions:index")
