from django.urls import path

from . import franceconnect, particulier

FC = "franceconnect/api/v2/"

urlpatterns = [
    path(f"{FC}.well-known/openid-configuration", franceconnect.discovery, name="devfc_discovery"),
    path(f"{FC}authorize", franceconnect.authorize, name="devfc_authorize"),
    path(f"{FC}token", franceconnect.token, name="devfc_token"),
    path(f"{FC}userinfo", franceconnect.userinfo, name="devfc_userinfo"),
    path(f"{FC}jwks", franceconnect.jwks, name="devfc_jwks"),
    path(f"{FC}session/end", franceconnect.session_end, name="devfc_session_end"),
    path("api-particulier/v3/dss/quotient_familial/france_connect",
         particulier.quotient_france_connect, name="devapi_france_connect"),
    path("api-particulier/v3/dss/quotient_familial/identite",
         particulier.quotient_identite, name="devapi_identite"),
]  # fmt: skip
