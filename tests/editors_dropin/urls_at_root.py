"""A site that keeps the national form's very paths: ``wagtail_qf.journey.national`` at its root."""

from django.urls import include, path

from example_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("", include("wagtail_qf.journey.national")), *site_urlpatterns]
