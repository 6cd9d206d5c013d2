"""The optional wagtail-modeladmin contrib applies the same rules as the inbox."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/admin/qf-modeladmin/"


def test_modeladmin_lists_only_the_agents_dossiers(client, make_agent, two_communes, make_submission):
    _home_a, page_a, home_b, page_b = two_communes
    mine = make_submission(page_a, family_name="MARTIN")
    theirs = make_submission(page_b, family_name="DURAND")
    client.force_login(make_agent("sandrine", two_communes[0]))
    html = client.get(URL).content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert client.get(f"{URL}inspect/{mine.pk}/").status_code == 200
    assert client.get(f"{URL}inspect/{theirs.pk}/").status_code in (302, 403, 404)
    assert client.get(f"{URL}create/").status_code in (302, 403)


def test_modeladmin_refuses_users_without_page_rights(client, django_user_model, two_communes):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("curieux", "c@x.test", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
