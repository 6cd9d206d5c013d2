from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailQFConfig(AppConfig):
    name = "wagtail_qf"
    label = "wagtail_qf"
    verbose_name = _("Quotient familial")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, counters  # noqa: F401  (system checks, counters' signals)
        from .api import webhooks  # noqa: F401  (editors' webhooks on new dossiers)
        from .hubee import tasks  # noqa: F401  (forwarding of new dossiers)

        checks.refuse_dev_providers_in_production()
