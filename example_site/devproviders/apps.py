from django.apps import AppConfig


class DevProvidersConfig(AppConfig):
    name = "example_site.devproviders"
    label = "devproviders"
