import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..dossiers.access import token_pages_for_user
from ..models import EditorToken, SubmissionStatus
from ..typed import typed_text

COMMENT_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 2000  # a message to the family (``dossiers.messages``)


class TypedText(forms.CharField):
    """A text typed in a textarea, counted as the person counts it (``typed.typed_text``)."""

    def to_python(self, value) -> str:
        return typed_text(super().to_python(value))


def sending_field() -> forms.UUIDField:
    """A new UUID per form drawn, kept with the message it sends (``messages.send_message``)."""
    return forms.UUIDField(required=False, initial=uuid.uuid4, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=SubmissionStatus.choices)
    # The status shown when the form was drawn: a form sent again, or from a tab older than a
    # colleague's change, changes nothing (``SubmissionDetailView.post``).
    seen = forms.ChoiceField(choices=SubmissionStatus.choices, required=False, widget=forms.HiddenInput)
    sending = sending_field()
    message = TypedText(
        label=_("Message (facultatif)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("Envoyé par courriel à la personne concernée avec le nouveau statut."),
    )


class MessageForm(forms.Form):
    """A message alone to the family (no change of status), e-mailed (``dossiers.messages``)."""

    message = TypedText(
        label=_("Message à la personne concernée"),
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": _("Écrivez le message avant de l'envoyer.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("Envoyé par courriel à la famille, et gardé dans l'historique du dossier."),
    )
    sending = sending_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_family_%s")  # its ids apart from the status form's « message »
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    comment = TypedText(
        label=_("Commentaire interne"),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"required": _("Écrivez le commentaire avant de l'ajouter.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("500 caractères au plus. Visible seulement des agents."),
    )


class BulkStatusForm(forms.Form):
    """The new status of the inbox's selection (which dossiers: ``BulkActionView.selected``)."""

    status = forms.ChoiceField(label=_("Nouveau statut"), choices=SubmissionStatus.choices)


class EditorTokenForm(WagtailAdminModelForm):
    """A software editor's token: only the QF pages the user may edit can be chosen,
    on the form and on a forged POST alike."""

    class Meta:
        model = EditorToken
        fields = ["name", "pages", "is_active", "webhook_url", "redirect_uris", "return_untouched"]
        widgets = {"pages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = token_pages_for_user(self.for_user).order_by("title")
