from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..dossiers.access import token_pages_for_user
from ..models import EditorToken, SubmissionStatus

COMMENT_MAX_LENGTH = 500


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=SubmissionStatus.choices)
    message = forms.CharField(
        label=_("Message (facultatif)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire interne"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("500 caractères au plus. Visible seulement des agents."),
    )


class BulkStatusForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int)
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=SubmissionStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the view keeps only the dossiers the agent may change.
        posted = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(value, value) for value in posted]


class EditorTokenForm(WagtailAdminModelForm):
    """A software editor's token: only the QF pages the user may edit can be chosen,
    on the form and on a forged POST alike."""

    class Meta:
        model = EditorToken
        fields = ["name", "pages", "is_active", "webhook_url", "redirect_uris"]
        widgets = {"pages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = token_pages_for_user(self.for_user).order_by("title")
