"""The town hall's own QF page: its fields and the QF mixin's, without ``QFTransmissionPage``.

It overrides each page hook (README « Extending a page ») as a commune's developer would:
its own dossier model, a question of its own on the quotient step, a label of its own on
the identity form, a processing that notes the answer in the dossier's history, and its own
confirmation template.
"""

from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from wagtail_qf.dossiers import history
from wagtail_qf.journey.forms import TransmissionForm
from wagtail_qf.journey.identity import BlindTransmissionForm
from wagtail_qf.journey.steps import ConfirmationView
from wagtail_qf.models import AbstractQFTransmissionPage, Submission


class TownHallSubmission(Submission):
    """A dossier of the town hall's page: the school the children attend, as the family gave it.

    Multi-table: the app's dossiers (inbox, exports, API, purge) stay ``Submission`` rows;
    this table adds the town hall's column."""

    school = models.CharField("école des enfants", max_length=120, blank=True)


class SchoolForm(TransmissionForm):
    """The quotient step with the town hall's question."""

    school = forms.CharField(label="École de vos enfants (facultatif)", max_length=120, required=False)


class TownHallIdentityForm(BlindTransmissionForm):
    """The identity form with the town hall's wording of the e-mail address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique où la mairie vous répondra"


class TownHallConfirmationView(ConfirmationView):
    """The confirmation, with the service's opening hours (``testapp/confirmation.html``)."""

    def template_names(self, template: str) -> list[str]:
        return [f"testapp/{template}.html", *super().template_names(template)]


class TownHallQFPage(AbstractQFTransmissionPage, Page):
    opening_hours = models.CharField("horaires d'accueil", max_length=200, blank=True)
    service_phone = models.CharField("téléphone du service", max_length=20, blank=True)

    content_panels = (
        Page.content_panels
        + [FieldPanel("opening_hours"), FieldPanel("service_phone")]
        + AbstractQFTransmissionPage.qf_panels
    )
    subpage_types = []

    class Meta:
        verbose_name = "quotient familial (page de la mairie)"

    def get_step_views(self):
        return {**super().get_step_views(), "confirmation": TownHallConfirmationView}

    def get_form_class(self, step):
        return {"quotient": SchoolForm, "identity": TownHallIdentityForm}.get(step) or super().get_form_class(
            step
        )

    def get_submission_class(self):
        return TownHallSubmission

    def process_transmission(self, request, form, transmission):
        school = form.cleaned_data.get("school", "")
        submission = transmission.save(school=school)
        if school:
            history.add_comment(submission, None, f"École indiquée par la famille : {school}")
        return submission
