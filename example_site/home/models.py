from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """A plain content page: the commune's home page in the demo."""

    body = RichTextField(blank=True)

    content_panels = Page.content_panels + ["body"]
