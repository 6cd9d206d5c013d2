"""Deleting a page deletes its families' dossiers: Wagtail's confirmation now says how many."""

import pytest
from django.urls import reverse

from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db


def confirmation(client, page) -> str:
    response = client.get(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_confirmation_says_how_many_dossiers_go_with_the_page(
    admin_client, two_communes, make_submission
):
    home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a), make_submission(page_a, status="done"), make_submission(page_b)
    assert "supprimera aussi, définitivement, 2 dossiers reçus des familles" in confirmation(
        admin_client, page_a
    )
    # A parent page: the dossiers of its sub-pages go with it.
    assert "supprimera aussi, définitivement, 2 dossiers reçus" in confirmation(admin_client, home_a)
    assert "1 dossier reçu des familles. Si la commune doit le conserver" in confirmation(
        admin_client, page_b
    )


def test_a_page_without_dossiers_is_deleted_as_before(admin_client, two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_b)
    assert "supprimera aussi" not in confirmation(admin_client, page_a)
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[page_a.pk]))
    assert response.status_code == 302
    assert Submission.objects.filter(page_id=page_b.pk).count() == 1
