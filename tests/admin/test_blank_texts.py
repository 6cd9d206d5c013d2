"""A comment or a message sent empty: the agent is told what to do, not only « Champ requis »."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("posted", "said"),
    [
        ({"comment": "   "}, "Écrivez le commentaire avant de l&#x27;ajouter."),
        ({"send_message": "", "message": "\r\n"}, "Écrivez le message avant de l&#x27;envoyer."),
    ],
)
def test_an_empty_text_says_what_to_write(client, admin_user, make_submission, two_communes, posted, said):
    dossier = make_submission(two_communes[1], email="famille@example.org")
    client.force_login(admin_user)
    response = client.post(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]), posted)
    assert response.status_code == 200
    assert said in response.content.decode()
