"""The development providers alone, under ``/dev/`` as in the example site (settings.providers)."""

from django.urls import include, path

urlpatterns = [path("dev/", include("example_site.devproviders.urls"))]
