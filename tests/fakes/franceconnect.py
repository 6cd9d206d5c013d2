"""A FranceConnect v2 provider faked at the httpx transport with respx.

It signs real tokens (ES256 by default, RS256 on demand) so the client's
verification runs for real, and can forge each kind of bad answer. It is as strict
as the real provider: the token endpoint wants this client's id and secret, userinfo
answers only a valid bearer token issued to this client, and only the algorithms
FranceConnect signs with (ES256, RS256) exist.
"""

import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISSUER = "https://fc.test/api/v2"
CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
ALGORITHMS = ("ES256", "RS256")  # what FranceConnect signs with

# Access tokens issued by any fake provider -> the client they were issued to. API
# Particulier checks a FranceConnect token with FranceConnect: its fake reads this.
ISSUED = {}


def issue_access_token(client_id=CLIENT_ID, token=None):
    """A FranceConnect access token, as the token endpoint gives it to ``client_id``."""
    token = token or secrets.token_urlsafe(24)
    ISSUED[token] = client_id
    return token


DUPONT = {
    "given_name": "Paul Louis",
    "given_name_array": ["Paul", "Louis"],
    "family_name": "DUPONT",
    "birthdate": "1980-06-15",
    "gender": "male",
    "birthplace": "75107",
    "birthcountry": "99100",
    "preferred_username": "",
}


def new_key(alg="ES256"):
    if alg.startswith("RS"):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def public_jwk(key, kid, alg):
    jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


class FakeFranceConnect:
    def __init__(self, respx_mock, claims=None, alg="ES256", issuer=ISSUER):
        if alg not in ALGORITHMS:
            raise ValueError(f"FranceConnect signs with {' or '.join(ALGORITHMS)}, not {alg}")
        self.mock = respx_mock
        self.alg = alg
        self.issuer = issuer
        self.claims = dict(DUPONT if claims is None else claims)
        self.key, self.kid = new_key(alg), "key-1"
        self.published = [public_jwk(self.key, self.kid, alg)]
        self.codes = {}
        self.id_token_overrides = {}
        self.userinfo_overrides = {}
        self.userinfo_as_json = False
        self.sign_with = None  # (key, kid): sign with a key that is not published
        self.token_requests = []
        self.access_tokens = []
        self._routes()

    # -- provider side ---------------------------------------------------------
    def _routes(self):
        m = self.mock
        self.discovery_route = m.get(f"{self.issuer}/.well-known/openid-configuration").mock(
            side_effect=lambda request: httpx.Response(200, json=self.discovery())
        )
        self.jwks_route = m.get(f"{self.issuer}/jwks").mock(
            side_effect=lambda request: httpx.Response(200, json={"keys": self.published})
        )
        self.token_route = m.post(f"{self.issuer}/token").mock(side_effect=self._token)
        self.userinfo_route = m.get(f"{self.issuer}/userinfo").mock(side_effect=self._userinfo)

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "jwks_uri": f"{self.issuer}/jwks",
            "id_token_signing_alg_values_supported": [self.alg],
            "acr_values_supported": ["eidas1"],
        }

    def sign(self, claims):
        key, kid = self.sign_with or (self.key, self.kid)
        return jwt.encode(claims, key, algorithm=self.alg, headers={"kid": kid})

    def _token(self, request):
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code"), None)
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return httpx.Response(401, json={"error": "invalid_client"})
        if grant is None or form.get("grant_type") != "authorization_code":
            return httpx.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        sub = "pairwise-" + CLIENT_ID
        id_claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 60,
            "nonce": grant["nonce"],
            "acr": "eidas1",
            "amr": ["pwd"],
        }
        id_claims.update(self.id_token_overrides)
        access_token = issue_access_token(CLIENT_ID)
        self.access_tokens.append(access_token)
        return httpx.Response(
            200,
            json={
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": self.sign({k: v for k, v in id_claims.items() if v is not None}),
            },
        )

    def _userinfo(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.access_tokens or ISSUED.get(token) != CLIENT_ID:
            return httpx.Response(
                401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                json={"error": "invalid_token"},
            )
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "pairwise-" + CLIENT_ID}
        claims.update(self.claims)
        claims.update(self.userinfo_overrides)
        if self.userinfo_as_json:
            return httpx.Response(200, json=claims)
        return httpx.Response(200, content=self.sign(claims), headers={"Content-Type": "application/jwt"})

    # -- citizen side ----------------------------------------------------------
    def authorize(self, client, login_url, error=None):
        """Follow the login redirect as FranceConnect would; return the callback URL."""
        response = client.get(login_url)
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        assert location.startswith(f"{self.issuer}/authorize?")
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        self.last_authorize = params
        callback = urlsplit(params["redirect_uri"]).path
        if error:
            return f"{callback}?error={error}&state={params['state']}"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": params["nonce"]}
        return f"{callback}?code={code}&state={params['state']}"
