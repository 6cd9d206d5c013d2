"""Short, unambiguous dossier references such as ``QF-7K3M-9P2X``."""

import secrets

# No 0/O, 1/I/L, U: a reference is read over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"QF-{chars[:4]}-{chars[4:]}"
