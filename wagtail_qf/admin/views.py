"""Inbox views: listing with status tabs, detail with history, bulk status change."""

import copy

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views import generic

from ..dossier_display import display_of
from ..dossiers import history, search
from ..dossiers import messages as family
from ..dossiers.access import submissions_for_user
from ..dossiers.columns import export_columns, export_rows
from ..models import Submission, SubmissionStatus
from ..models.submissions import Provider
from ..numbers import database_id
from . import counter, exports, status_counts
from .filters import SubmissionFilterSet
from .forms import BulkStatusForm, CommentForm, MessageForm, StatusForm
from .permissions import permission_policy
from .table import BulkCheckboxColumn, DateTimeColumn, InboxTable, PlainColumn, ReferenceColumn


class StatusTabsMixin:
    """Counts per status of the listing, every other filter applied."""

    def status_tabs(self) -> list[dict]:
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

    def filter_queryset_except_status(self) -> QuerySet:
        queryset = self.get_base_queryset()
        if self.filters and self.filters.is_valid():
            data = dict(self.filters.form.cleaned_data)
            data.pop("status", None)
            for name, value in data.items():
                if value not in (None, "", []):
                    queryset = self.filters.filters[name].filter(queryset, value)
        return queryset


class CountedPaginator(Paginator):
    """A paginator told its count (already known from the status tabs)."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count


# The fields the inbox table's columns read (``SubmissionIndexView.columns``), and the page's
# title beside them (``page_title``: no page object built per row).
LISTED_FIELDS = (
    "reference",
    "family_name",
    "given_names",
    "qf_value",
    "qf_provider",
    "status",
    "submitted_at",
)


class SubmissionIndexView(StatusTabsMixin, generic.IndexView):
    results_template_name = "wagtail_qf/admin/index_results.html"
    filterset_class = SubmissionFilterSet
    search_fields = ["search_text"]  # enables the search box; the search is ``dossiers.search``
    default_ordering = "-submitted_at"
    table_class = InboxTable
    list_export = ["reference"]  # enables the export buttons; columns below
    export_filename = "dossiers-quotient-familial"

    def get_base_queryset(self) -> QuerySet:
        return submissions_for_user(self.request.user).select_related("page")

    def search_queryset(self, queryset) -> QuerySet:
        return search.matching(queryset, self.search_query) if self.is_searching else queryset

    @cached_property
    def tabs(self) -> list[dict]:
        return self.status_tabs()

    @cached_property
    def header_buttons(self) -> list:
        button = counter.header_button(self.request.user)
        return super().header_buttons + ([button] if button else [])

    def paginate_queryset(self, queryset, page_size):
        # Only what the table shows: a dossier's row is wide (the API's answer, the family…), and
        # reading 50 whole rows cost more than finding them. Exports read their own columns.
        listed = queryset.select_related(None).only(*LISTED_FIELDS).annotate(page_title=F("page__title"))
        return super().paginate_queryset(listed, page_size)

    def get_paginator(self, queryset, per_page, **kwargs) -> CountedPaginator:
        # The tabs already counted the listing: no second COUNT over the dossiers.
        current = self.request.GET.get("status", "")
        known = next((tab["count"] for tab in self.tabs if tab["value"] == current), None)
        if self.filters and not self.filters.is_valid():
            known = None
        return CountedPaginator(queryset, per_page, known_count=known, **kwargs)

    @cached_property
    def columns(self) -> list:
        return [
            BulkCheckboxColumn("select"),
            ReferenceColumn(
                "reference", url_name=self.inspect_url_name, label=_("Référence"), sort_key="reference"
            ),
            PlainColumn("requester_name", label=_("Demandeur")),
            PlainColumn("page_title", label=_("Page")),
            PlainColumn("qf_value", label=_("QF (€)"), sort_key="qf_value"),
            PlainColumn("qf_provider", choices=Provider.choices, label=_("Organisme")),
            PlainColumn("status", choices=SubmissionStatus.choices, label=_("Statut"), sort_key="status"),
            DateTimeColumn("submitted_at", label=_("Transmis le"), sort_key="submitted_at"),
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["status_tabs"] = self.tabs
        query = self.request.GET.copy()
        for key in ("p", "export", "_w_filter_fragment"):
            query.pop(key, None)
        context.update(
            bulk_form=BulkStatusForm(),
            bulk_url=reverse("wagtail_qf_submissions:bulk"),
            # The listing as shown (also when its results were refreshed alone): « all matching ».
            bulk_query=query.urlencode(),
            bulk_next=f"{self.index_url}?{query.urlencode()}",
            can_change=permission_policy.user_has_permission(self.request.user, "change"),
            can_export=self.show_export_buttons,
        )
        context["media"] += forms.Media(
            css={"all": ["wagtail_qf/admin/inbox.css"]}, js=["wagtail_qf/admin/inbox.js"]
        )
        return context

    def get(self, request, *args, **kwargs) -> HttpResponseBase:
        if self.is_export:
            # Straight to the stream: the listing's context (table, pagination) is not
            # built, so the dossiers are read once, a chunk at a time.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self) -> bool:
        return permission_policy.user_has_permission(self.request.user, "export")

    def as_spreadsheet(self, queryset, spreadsheet_format) -> StreamingHttpResponse:
        return spreadsheet_response(self.request.user, queryset, spreadsheet_format, self.get_filename())


def spreadsheet_response(user, queryset, spreadsheet_format, filename) -> StreamingHttpResponse:
    """Every export of dossiers (inbox, selection, modeladmin): refused without
    ``export_submission``, recorded, with formula-like cells neutralised.

    ``queryset`` holds only dossiers ``user`` may see (``submissions_for_user``)."""
    if not permission_policy.user_has_permission(user, "export"):
        raise PermissionDenied
    spreadsheet_format = "xlsx" if spreadsheet_format == "xlsx" else "csv"
    history.log_export(queryset, user, spreadsheet_format)
    respond = exports.xlsx_response if spreadsheet_format == "xlsx" else exports.csv_response
    return respond(export_columns(), export_rows(queryset), filename)


# The dossier page's history shows this many events, the newest; a link shows them all.
HISTORY_SHOWN = 100


class SubmissionDetailView(generic.InspectView):
    template_name = "wagtail_qf/admin/detail.html"
    page_title = gettext_lazy("Dossier")

    def get_object(self, queryset=None) -> Submission:
        return get_object_or_404(submissions_for_user(self.request.user).select_related("page"), pk=self.pk)

    def get_page_subtitle(self) -> str:
        return self.object.reference

    def get(self, request, *args, **kwargs) -> HttpResponse:
        history.record_view(self.object, request.user)
        history.mark_received(self.object, request.user, via=history.OPENED)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if not permission_policy.user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied
        if "comment" in request.POST:
            form = CommentForm(request.POST)
            if form.is_valid():
                history.add_comment(self.object, request.user, form.cleaned_data["comment"])
                messages.success(request, _("Commentaire ajouté."))
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(comment_form=form))
        if "send_message" in request.POST:
            form = MessageForm(request.POST)
            if form.is_valid():
                self.send_message(form.cleaned_data["message"], form.cleaned_data["sending"])
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(message_form=form))
        form = StatusForm(request.POST)
        if form.is_valid():
            status, message = form.cleaned_data["status"], form.cleaned_data["message"]
            outcome = history.change_status(
                self.object, status, request.user, message, seen=form.cleaned_data["seen"]
            )
            if outcome == history.STALE:
                messages.warning(
                    request,
                    _(
                        "Le statut de ce dossier a été modifié entre-temps : il est désormais « %(status)s ». "
                        "Rien n'a été changé ni envoyé ; vérifiez l'historique, puis recommencez si besoin."
                    )
                    % {"status": self.object.get_status_display()},
                )
            elif outcome:
                tell_agent(request, outcome, _("Statut modifié."))  # the family was told by the domain
            elif message:  # the same status: the message goes alone
                self.send_message(message, form.cleaned_data["sending"])
            else:
                messages.info(
                    request,
                    _("Le dossier est déjà « %(status)s » : rien n'a été changé ni envoyé.")
                    % {"status": self.object.get_status_display()},
                )
            return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(status_form=form))

    def history_context(self, submission) -> dict:
        """The newest ``HISTORY_SHOWN`` events, or all of them on request: never a silent cut."""
        if self.request.GET.get("historique") == "complet":
            return {"history": history.entries(submission, limit=None), "history_hidden": False}
        story = history.entries(submission, limit=HISTORY_SHOWN + 1)
        return {"history": story[:HISTORY_SHOWN], "history_hidden": len(story) > HISTORY_SHOWN}

    def send_message(self, message, sending) -> None:
        """A message alone to the family, once per form drawn (``sending``)."""
        outcome = family.send_message(self.object, self.request.user, message, sending=sending)
        if outcome == family.ALREADY_SENT:
            messages.warning(
                self.request,
                _(
                    "Ce message avait déjà été envoyé à la personne concernée : il n'a pas été envoyé une seconde fois."
                ),
            )
        elif outcome == family.NO_ADDRESS:  # kept on the dossier, marked not sent
            tell_agent(self.request, outcome, _("Message enregistré dans le dossier."))
        else:
            tell_agent(self.request, outcome, _("Message envoyé à la personne concernée."))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        submission = self.object
        context.update(
            submission=submission,
            display=display_of(submission),
            **self.history_context(submission),
            can_change=permission_policy.user_has_permission_for_instance(
                self.request.user, "change", submission
            ),
            status_form=kwargs.get("status_form")
            or StatusForm(initial={"status": submission.status, "seen": submission.status}),
            comment_form=kwargs.get("comment_form") or CommentForm(),
            message_form=kwargs.get("message_form") or MessageForm(),
        )
        return context


def tell_agent(request, outcome, done: str) -> None:
    """What became of the e-mail to the family, said to the agent with what was ``done``."""
    if outcome == family.NO_ADDRESS:
        messages.warning(
            request,
            done
            + " "
            + _(
                "Aucune adresse électronique n'est connue pour ce dossier : la personne concernée n'a "
                "pas été prévenue par courriel. Contactez-la par un autre moyen si besoin."
            ),
        )
    elif outcome == family.QUEUED:
        messages.success(request, done + " " + _("Un courriel part vers la personne concernée."))
    else:
        messages.success(request, done)


class SubmissionPDFView(View):
    """The dossier's PDF summary, for the agents who may see it."""

    def get(self, request, pk) -> HttpResponse:
        from ..summary_pdf import pdf_response  # reportlab is loaded only when a PDF is asked for

        submission = get_object_or_404(submissions_for_user(request.user).select_related("page"), pk=pk)
        history.record_pdf(submission, request.user)
        return pdf_response(submission)


class BulkActionView(View):
    """Bulk actions of the inbox: change the status of, or export, the dossiers ticked (one by
    one, or all those of the page) or all the dossiers the listing's filters and search designate.

    Neither loads the dossiers in memory: the status changes a batch at a time
    (``history.change_status_many``), the export streams (``spreadsheet_response``)."""

    index_view = None  # the inbox listing (given by the viewset), for « all matching »

    def post(self, request) -> HttpResponseBase:
        exporting = "export" in request.POST
        if not permission_policy.user_has_permission(request.user, "export" if exporting else "change"):
            raise PermissionDenied
        selected = self.selected(request)
        if selected is None:
            return HttpResponseRedirect(self.next_url(request))
        if exporting:
            return spreadsheet_response(
                request.user, selected.order_by("-submitted_at"), request.POST["export"], "dossiers-selection"
            )
        form = BulkStatusForm(request.POST)
        if form.is_valid():
            changed = history.change_status_many(selected, form.cleaned_data["status"], request.user)
            messages.success(request, _("%(n)d dossier(s) modifié(s).") % {"n": changed})
        else:
            messages.error(request, _("Choisissez le nouveau statut des dossiers sélectionnés."))
        return HttpResponseRedirect(self.next_url(request))

    def selected(self, request) -> QuerySet | None:
        """The dossiers the action is for, among those the agent may see; None (the agent is
        told why) when there are none to act on."""
        if request.POST.get("scope") == "all":
            return self.matching(request)
        # ``page_ids``: « select all on this page », the page's ids in one value (works without JavaScript).
        posted = request.POST.getlist("ids") + ",".join(request.POST.getlist("page_ids")).split(",")
        ids = {database_id(value.strip()) for value in posted} - {None}
        if not ids:
            messages.error(request, _("Aucun dossier sélectionné : cochez au moins un dossier de la liste."))
            return None
        return submissions_for_user(request.user).filter(pk__in=ids)

    def matching(self, request) -> QuerySet | None:
        """Every dossier of the listing the form was posted from (its filters and search, kept in
        ``query``), through the listing's own code: the action is for exactly what it showed."""
        listing = copy.copy(request)
        listing.method, listing.GET = "GET", QueryDict(request.POST.get("query", ""))
        view = self.index_view.view_class(**self.index_view.view_initkwargs)
        view.setup(listing)
        if view.filters and not view.filters.is_valid():
            messages.error(
                request, _("Les filtres de la liste ne sont pas valides : corrigez-les, puis recommencez.")
            )
            return None
        return view.get_queryset()

    @staticmethod
    def next_url(request) -> str:
        """Back to the listing the form was posted from: an address of this site only."""
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return reverse("wagtail_qf_submissions:index")
