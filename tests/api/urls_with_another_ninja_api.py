"""The test site's URLs with a NinjaAPI of the site's own, in ninja's default namespace."""

from django.urls import path
from ninja import NinjaAPI

from example_site.urls import urlpatterns as site_urlpatterns

site_api = NinjaAPI()


@site_api.get("/ping")
def ping(request) -> dict:
    return {"pong": True}


urlpatterns = [path("site-api/", site_api.urls), *site_urlpatterns]
