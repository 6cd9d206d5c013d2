"""The error page is shown after a redirect, from what the session kept (``to_session``): the
family reads the same explanation and next step as at the moment of the error (issue 23:
mutation testing of ``particulier/errors.py``, its ``error_from_session``)."""

import pytest

from wagtail_qf.particulier import errors


@pytest.mark.parametrize(
    "error",
    [
        errors.NotFound(),
        errors.FranceConnectTokenError(),
        errors.RateLimited(),
        errors.ProviderError("37999", 503),
        errors.Timeout(),
        errors.error_for(404, "35003", title="Erreur inattendue"),
        errors.error_for(422, "00203"),  # the answer's own code, not the class's: the recipient missing
    ],
)
def test_an_error_kept_in_the_session_comes_back_the_same(error):
    again = errors.error_from_session(error.to_session())
    assert type(again) is type(error)
    assert (again.code, again.status) == (error.code, error.status)
    assert (again.user_message, again.next_step, again.citizen_can_retry) == (
        error.user_message,
        error.next_step,
        error.citizen_can_retry,
    )


@pytest.mark.parametrize(
    "data",
    [None, {}, {"class": "UpstreamError"}, {"class": "error_for"}, {"class": "Inconnue", "code": "x"}],
)
def test_an_unknown_error_in_the_session_is_the_base_error(data):
    """A session written by another version (or tampered with) never names a class to build."""
    error = errors.error_from_session(data)
    assert type(error) is errors.ParticulierError
    assert "Vos données n'ont pas pu être récupérées" in str(error.user_message)
