"""The development provider's ES256 signing key, shared by every worker through a file."""

import json
import tempfile
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

ALG = "ES256"


def _key_path() -> Path:
    folder = Path(getattr(settings, "VAR_DIR", "") or tempfile.gettempdir())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    return folder / "devproviders-es256.pem"


@lru_cache(maxsize=1)
def signing_key():
    path = _key_path()
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            with open(path, "xb") as file:  # the first worker wins; the others read it
                file.write(pem)
        except FileExistsError:
            pass
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_jwk() -> dict:
    key = signing_key()
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    kid = jwt.utils.base64url_encode(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    ).decode()[:16]
    return {**jwk, "kid": kid, "alg": ALG, "use": "sig"}


def sign(claims: dict) -> str:
    return jwt.encode(claims, signing_key(), algorithm=ALG, headers={"kid": public_jwk()["kid"]})


def verify(token: str, audience: str, verify_exp: bool = True) -> dict:
    return jwt.decode(
        token,
        signing_key().public_key(),
        algorithms=[ALG],
        audience=audience,
        options={"verify_exp": verify_exp},
    )
