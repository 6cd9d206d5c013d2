from django.apps import AppConfig
from django.core import checks


class DevProvidersConfig(AppConfig):
    name = "example_site.devproviders"
    label = "devproviders"

    def ready(self):
        from . import guard

        checks.register(guard.check_not_in_production, checks.Tags.security)
        guard.refuse_in_production()
