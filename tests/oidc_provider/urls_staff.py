"""The example site plus mozilla-django-oidc's own URLs, as a site with an agents' OIDC login."""

from django.urls import include, path

from example_site.urls import urlpatterns as site_patterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls"))] + site_patterns
