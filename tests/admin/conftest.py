# The shared fixtures live in tests/conftest.py; tests/api and tests/own_page_type still
# import them from here (to drop there).
from ..conftest import make_agent, make_submission, now, two_communes  # noqa: F401
