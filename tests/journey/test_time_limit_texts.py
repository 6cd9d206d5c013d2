"""The messages the time-limit script speaks (``timeout.js`` reads them from the notice's
attributes) are worked out once per language: each page still gets its own language's."""

import pytest
from django.test import Client

from ..factories import family_result

pytestmark = pytest.mark.django_db

FRENCH = {
    "data-qf-warning": "Attention : vos données seront effacées à {time}, dans moins de 2 minutes. "
    "Pour continuer votre démarche, prolongez votre session.",
    "data-qf-extended": "Votre session est prolongée jusqu'à {time}.",
    "data-qf-failed": "La prolongation n'a pas abouti. Réessayez, ou rechargez la page.",
    "data-qf-no-more": "Cette session ne peut plus être prolongée : pensez à terminer votre démarche "
    "avant cette heure.",
}
ENGLISH_WARNING = (
    "Warning: your data will be erased at {time}, in less than 2 minutes. To continue, extend your session."
)


def test_the_script_messages_follow_the_language_of_each_page(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    french = client.get(qf_page.url + "consentement/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for attribute, text in FRENCH.items():
        assert f'{attribute}="{text}"' in french  # as written, the apostrophes too
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies = client.cookies  # the same citizen, who reads English
    html = english.get(qf_page.url + "consentement/").content.decode()
    assert f'data-qf-warning="{ENGLISH_WARNING}"' in html
    again = client.get(qf_page.url + "quotient/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'data-qf-warning="{FRENCH["data-qf-warning"]}"' in again
