from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """A plain content page: the commune's home page in the demo."""

    body = RichTextField(blank=True)

    content_panels = Page.content_panels + ["body"]


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractForm):
    """A plain Wagtail form page: the yardstick of the submission benchmark."""

    content_panels = AbstractForm.content_panels + [InlinePanel("form_fields", label="Champs")]
