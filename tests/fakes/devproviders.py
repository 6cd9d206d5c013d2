"""Route httpx calls to ``http://testserver/dev/`` into Django's test client.

With it the whole journey runs in-process against the development providers:
the app's real HTTP code (httpx) talks to the real provider views.
"""

import httpx
from django.test import Client

BASE = "http://testserver"
SETTINGS = {  # with override_settings(DEBUG=True, DEV_PROVIDERS=True): the example site's switch
    "FRANCECONNECT": {
        "DISCOVERY_URL": f"{BASE}/dev/franceconnect/api/v2/.well-known/openid-configuration",
        "CLIENT_ID": "test-client-id",
        "CLIENT_SECRET": "test-client-secret",
    },
    "API_PARTICULIER": {
        "BASE_URL": f"{BASE}/dev/api-particulier",
        "TOKEN": "test-api-particulier-token",
        "BACKOFF_SECONDS": 0,
        "MAX_RETRIES": 1,
    },
}


def bridge(respx_mock):
    server = Client()  # its own cookies: server-to-server calls share nothing with the browser

    def forward(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        response = server.generic(
            request.method,
            path,
            data=request.content,
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        return httpx.Response(response.status_code, headers=dict(response.items()), content=response.content)

    return respx_mock.route(host="testserver").mock(side_effect=forward)
