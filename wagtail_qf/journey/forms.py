"""The transmission form: the children concerned, and the one-time token."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TransmissionForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    children = forms.MultipleChoiceField(
        label=_("Enfants concernés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_("Je certifie que ces informations sont les miennes et j'accepte leur transmission."),
        required=True,
        error_messages={"required": _("Cochez cette case pour transmettre vos données.")},
    )

    def __init__(self, *args, children=(), expected_token="", **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_token = expected_token
        self.people = {child.key: child for child in children}
        self.fields["children"].choices = [
            (child.key, child.display_name) for child in children
        ]
        if not children:
            del self.fields["children"]

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not self.expected_token or token != self.expected_token:
            raise forms.ValidationError(
                _("Ce formulaire a expiré ou a déjà été envoyé. Rechargez la page."),
                code="token",
            )
        return token

    def selected_children(self):
        return [self.people[key] for key in self.cleaned_data.get("children", [])]
