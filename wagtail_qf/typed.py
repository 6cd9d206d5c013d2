"""What people type, as they see it: a text counted and kept as the person counts it, and the
requests no browser sends from a form."""

import unicodedata

from django.core.exceptions import BadRequest


def typed_text(value: str) -> str:
    """``value`` as typed in a textarea: its line breaks one character each (browsers send them as
    « \\r\\n », the page's ``maxlength`` and counter count one), its letters composed (« é » typed
    on a Mac arrives as « e » and an accent: one letter for the person, and in the database)."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n"))


def refuse_nul_characters(request) -> None:
    """``BadRequest`` (the site's 400 page) for a NUL character in a parameter's name or value: no
    browser sends one from a form, and PostgreSQL can neither compare nor store it (the query
    would fail, a 500, wherever the parameter is looked up)."""
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequest("NUL character in a request parameter")
