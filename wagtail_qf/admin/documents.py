"""The documents of a dossier in the inbox: an agent attaches one, or downloads one.

Both follow the dossier page's rule: a dossier the agent may not see is not found
(``submissions_for_user``); attaching needs the right to change it, like its status. The form
and the list are ``wagtail_qf/admin/dossier/documents.html``, included in the dossier page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from ..dossiers import documents
from ..dossiers.access import submissions_for_user
from .permissions import permission_policy


class AttachForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Document (PDF, JPEG ou PNG)"))
    visible_to_family = forms.BooleanField(label=gettext_lazy("Visible par la famille"), required=False)


def _dossier(user, pk):
    return get_object_or_404(submissions_for_user(user).select_related("page"), pk=pk)


class AttachDocumentView(View):
    """« Joindre un document »: back to the dossier with what became of it."""

    def post(self, request, pk) -> HttpResponseRedirect:
        submission = _dossier(request.user, pk)
        if not permission_policy.user_has_permission_for_instance(request.user, "change", submission):
            raise PermissionDenied
        form = AttachForm(request.POST, request.FILES)
        if not form.is_valid():
            if chosen := request.FILES.get("file"):  # chosen, but empty (Django's only other refusal)
                messages.error(
                    request,
                    _("Le fichier « %(name)s » est vide : choisissez-en un autre, puis recommencez.")
                    % {"name": documents.shown_name(chosen.name)},
                )
            else:
                messages.error(request, _("Choisissez le document à joindre au dossier."))
        else:
            try:
                documents.add_agent_document(
                    submission,
                    request.user,
                    form.cleaned_data["file"],
                    form.cleaned_data["visible_to_family"],
                )
            except documents.DocumentRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("Document joint au dossier."))
        return HttpResponseRedirect(
            reverse("wagtail_qf_submissions:inspect", args=[submission.pk]) + "#documents"
        )


class DocumentDownloadView(View):
    """A document of a dossier the agent may see, as a download (logged in its history)."""

    def get(self, request, pk, document_pk) -> FileResponse:
        submission = _dossier(request.user, pk)
        document = get_object_or_404(submission.documents, pk=document_pk)
        return documents.file_response(document, user=request.user)


def urlpatterns() -> list:
    """The inbox's routes for documents (``SubmissionViewSet.get_urlpatterns``)."""
    return [
        path("<int:pk>/documents/", AttachDocumentView.as_view(), name="attach_document"),
        path("<int:pk>/documents/<int:document_pk>/", DocumentDownloadView.as_view(), name="document"),
    ]
