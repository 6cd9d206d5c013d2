"""The keys the FranceConnect fakes publish are read back by the backend's PyJWT, whatever the key.

An EC public key is published as a JWK whose coordinates must be the full size of the curve
(RFC 7518 §6.2.1.2: 32 bytes for P-256). PyJWT before 2.10 dropped their leading zero bytes
(one key in 128) and then refused its own JWK, so that the lowest version allowed failed at
random (`make matrix`): the lower bound is 2.10.1 (2.10.0 compares ``iss`` badly)."""

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from example_site.devproviders import keys
from tests.fakes.franceconnect import public_jwk


def key_with_a_short_coordinate():
    """A P-256 key whose x or y starts with a zero byte (1 in 128: found in a few hundred tries)."""
    while True:
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        if min(numbers.x, numbers.y) < 2**248:
            return key


def test_a_key_with_a_short_coordinate_is_published_full_size_and_verifies():
    key = key_with_a_short_coordinate()
    published = public_jwk(key, "key-1", "ES256")
    assert len(jwt.utils.base64url_decode(published["x"])) == 32
    assert len(jwt.utils.base64url_decode(published["y"])) == 32
    token = jwt.encode({"sub": "s"}, key, algorithm="ES256")
    assert jwt.decode(token, jwt.PyJWK(published).key, algorithms=["ES256"]) == {"sub": "s"}


def test_the_development_provider_publishes_its_key_full_size(monkeypatch):
    key = key_with_a_short_coordinate()
    monkeypatch.setattr(keys, "signing_key", lambda: key)
    published = keys.public_jwk()
    assert jwt.PyJWK(published).key.public_numbers() == key.public_key().public_numbers()
