"""The citizen's identity as certified by FranceConnect: kept in the session only.

A citizen without FranceConnect types the same facts in the identity form
(``journey.identity``): ``source`` tells the two apart.
"""

from dataclasses import asdict, dataclass, fields

FRANCECONNECT = "franceconnect"
IDENTITY_FORM = "identity"  # the value of ``Submission.Source.IDENTITY``


@dataclass(frozen=True)
class CitizenIdentity:
    sub: str
    given_name: str
    family_name: str
    birthdate: str = ""  # YYYY-MM-DD
    gender: str = ""  # "female" | "male"
    birthplace: str = ""  # INSEE COG of the commune of birth, empty if born abroad
    birthcountry: str = ""  # INSEE COG of the country, 99100 for France
    preferred_username: str = ""  # usage name
    email: str = ""  # the ``email`` claim, asked when the page follows the dossier up by e-mail
    # Where the identity comes from: FRANCECONNECT (certified) or IDENTITY_FORM
    # (typed by the citizen, looked up with API Particulier's ``identite`` mode).
    source: str = "franceconnect"

    @classmethod
    def from_claims(cls, claims: dict) -> "CitizenIdentity":
        names = {f.name for f in fields(cls)} - {"source"}  # never taken from a claim
        return cls(**{k: str(v or "") for k, v in claims.items() if k in names})

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "CitizenIdentity":
        return cls(**data)

    @property
    def from_identity_form(self) -> bool:
        return self.source == IDENTITY_FORM

    @property
    def display_name(self) -> str:
        """« Angela Claire Louise DUBOIS »: first names, then the name in capitals."""
        name = self.preferred_username or self.family_name
        return f"{self.given_name} {name.upper()}".strip()
