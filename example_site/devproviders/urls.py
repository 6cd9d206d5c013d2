from django.urls import path

from . import dgfip, eaje, franceconnect, particulier

FC = "franceconnect/api/v2/"

urlpatterns = [
    path(f"{FC}.well-known/openid-configuration", franceconnect.discovery, name="devfc_discovery"),
    path(f"{FC}authorize", franceconnect.authorize, name="devfc_authorize"),
    path(f"{FC}token", franceconnect.token, name="devfc_token"),
    path(f"{FC}userinfo", franceconnect.userinfo, name="devfc_userinfo"),
    path(f"{FC}jwks", franceconnect.jwks, name="devfc_jwks"),
    path(f"{FC}session/end", franceconnect.session_end, name="devfc_session_end"),
    path(
        "api-particulier/v3/dss/quotient_familial/france_connect",
        particulier.quotient_france_connect,
        name="devapi_france_connect",
    ),
    path(
        "api-particulier/v3/dss/quotient_familial/identite",
        particulier.quotient_identite,
        name="devapi_identite",
    ),
    path(
        "api-particulier/v3/dss/participation_familiale_eaje/france_connect",
        eaje.eaje_france_connect,
        name="devapi_eaje_france_connect",
    ),
    path("dgfip/token", dgfip.token, name="devdgfip_token"),
    path(
        "dgfip/impotparticulier/1.0/situations/ir/assiettes/annrev/<int:annrev>",
        dgfip.situation,
        name="devdgfip_situation",
    ),
]
