"""Rebuilding an API Particulier error stored in the session, to explain it."""

from ..particulier import errors


def particulier_error_from_session(data: dict | None) -> errors.ParticulierError:
    data = data or {}
    cls = getattr(errors, data.get("class", ""), None)
    if not (isinstance(cls, type) and issubclass(cls, errors.ParticulierError)):
        cls = errors.ParticulierError
    return cls(code=data.get("code"), status=data.get("status"))
