"""The transmission form: the children concerned, and the one-time token.

A family with children that ticks none is asked to confirm it (``no_child``, a
second explicit choice shown with the error, no JavaScript needed): an
unticked list is more often an oversight than a choice.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class TransmissionForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    children = forms.MultipleChoiceField(
        label=_("Enfants concernés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_child = forms.BooleanField(
        label=_("Je confirme que ma démarche ne concerne aucun de ces enfants."),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Je certifie que ces informations me concernent et j'accepte qu'elles soient transmises."),
        required=True,
        error_messages={"required": _("Cochez cette case pour transmettre vos données.")},
    )

    def __init__(self, *args, children=(), expected_token="", **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_token = expected_token
        self.people = {child.key: child for child in children}
        self.fields["children"].choices = [(child.key, child.display_name) for child in children]
        if not children:
            del self.fields["children"]
            del self.fields["no_child"]

    @property
    def asks_no_child(self) -> bool:
        """Whether the confirmation of « no child » is shown: once asked, until transmitted."""
        if "no_child" not in self.fields:
            return False
        if not self.is_bound:  # the page shown again after « Prolonger »: as the citizen left it
            return bool(self.initial.get("no_child"))
        return self.has_error("children", "none_ticked") or bool(self.data.get("no_child"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            "children" in self.fields
            and not self.has_error("children")
            and not (cleaned.get("children") or cleaned.get("no_child"))
        ):
            self.add_error(
                "children",
                forms.ValidationError(
                    _(
                        "Vous n'avez coché aucun enfant. Cochez les enfants concernés par votre démarche ; "
                        "si elle n'en concerne aucun, confirmez-le en cochant la case prévue."
                    ),
                    code="none_ticked",
                ),
            )
        return cleaned

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        if not self.expected_token or token != self.expected_token:
            raise forms.ValidationError(
                # The page shown again carries the current form (``expected_token``): sent again, it goes.
                _(
                    "Ce formulaire a expiré ou a déjà été envoyé. Vérifiez vos choix, puis envoyez-le de nouveau."
                ),
                code="token",
            )
        return token

    def error_summary(self) -> list[tuple[str, str]]:
        """(id of the field to link to, message) of each error, in the order of the form. The
        token's error is not a field the citizen can correct: the page tells it above the form."""
        return [
            ("id_children_0" if name == "children" else self[name].id_for_label, message)
            for name in self.fields
            if name != "form_token"
            for message in self.errors.get(name, ())
        ]

    def selected_children(self) -> list:
        return [self.people[key] for key in self.cleaned_data.get("children", [])]

    @property
    def extra_fields(self) -> list:
        """The questions a site's subclass adds (the page's ``get_form_class``), shown before
        the certification."""
        return [self[name] for name in self.fields if name not in TransmissionForm.base_fields]


class FollowUpEmailForm(forms.Form):
    """The consent step's one field: the address the commune writes to, FranceConnect's by
    default; the citizen may change it, or empty it to receive nothing."""

    email = forms.EmailField(
        label=_("Adresse électronique pour le suivi de votre demande"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _(
                "Saisissez une adresse électronique valide, par exemple nom@exemple.fr, ou laissez le champ vide."
            )
        },
    )
