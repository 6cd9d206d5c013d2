"""wagtail-qf's URLs before sites-conformes' own (which end with Wagtail's catch-all), and the
development providers."""

from django.urls import include, path
from sites_conformes.config.urls import urlpatterns as sites_conformes_urlpatterns

urlpatterns = [
    path("qf/", include("wagtail_qf.urls")),
    path("dev/", include("example_site.devproviders.urls")),
    *sites_conformes_urlpatterns,
]
