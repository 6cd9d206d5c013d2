from django.urls import include, path

from . import accessibility, health
from .journey import identity, national, views

app_name = "wagtail_qf"

urlpatterns = [
    path("franceconnect/callback/", views.franceconnect_callback, name="franceconnect_callback"),
    path("franceconnect/logout/", views.franceconnect_logout_callback, name="franceconnect_logout_callback"),
    path("communes/", identity.communes_search, name="communes"),
    path("pays/", identity.countries_search, name="countries"),
    path("api/v1/", include("wagtail_qf.api.urls")),
    path("accessibilite/", accessibility.statement, name="accessibility_statement"),
    path("sante/", health.health, name="health"),  # for the load balancer
    # The national form's deep link (/collectivites/<SIRET>/me_connecter), for the editors' portals.
    *national.urlpatterns,
]
