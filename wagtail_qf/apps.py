from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailQFConfig(AppConfig):
    name = "wagtail_qf"
    label = "wagtail_qf"
    verbose_name = _("Quotient familial")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers

        receivers.register()
        checks.refuse_dev_providers_in_production()
