from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailQFConfig(AppConfig):
    name = "wagtail_qf"
    label = "wagtail_qf"
    verbose_name = _("Quotient familial")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401 -- checks registers the system checks

        receivers.register()

        from .journey.steps import STEP_VIEWS

        # The steps' default views, read by the pages' ``get_step_views()``: the models sit
        # below the journey and never import it.
        self.step_views = STEP_VIEWS
