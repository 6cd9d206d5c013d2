import datetime
import itertools

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from example_site.home.models import HomePage
from wagtail_qf.models import Submission

_tokens = itertools.count()


@pytest.fixture
def make_submission():
    def make(page, **fields):
        values = {
            "page": page,
            "submission_token": f"t{next(_tokens)}",
            "family_name": "DUPONT",
            "given_names": "Paul Louis",
            "birthdate": datetime.date(1980, 6, 15),
            "qf_value": 1234,
            "qf_year": 2026,
            "qf_month": 11,
            "qf_provider": "CNAF",
            "children": [{"nom_naissance": "DUPONT", "prenoms": "JEAN", "date_naissance": "2012-03-04"}],
        }
        values.update(fields)
        submitted_at = values.pop("submitted_at", None)
        submission = Submission.objects.create(**values)
        if submitted_at:
            Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted_at)
            submission.refresh_from_db()
        return submission

    return make


@pytest.fixture
def two_communes(make_qf_page, home_page):
    """Commune A on the default site, commune B on a second site."""
    page_a = make_qf_page(slug="qf-a", title="QF Cesson", commune_name="Cesson-Sévigné")
    root = Page.get_first_root_node()
    home_b = root.add_child(instance=HomePage(title="Rennes", slug="rennes"))
    Site.objects.create(hostname="rennes.test", root_page=home_b, site_name="Rennes")
    page_b = make_qf_page(
        parent=home_b,
        slug="qf-b",
        title="QF Rennes",
        commune_name="Rennes",
        commune_cog="35238",
        commune_postcode="35000",
    )
    return home_page, page_a, home_b, page_b


@pytest.fixture
def make_agent(django_user_model, two_communes):
    def make(username, home, perms=("change_submission", "export_submission")):
        group = Group.objects.create(name=f"Agents {username}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in perms:
            group.permissions.add(Permission.objects.get(codename=codename))
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename="change_page")
        )
        user = django_user_model.objects.create_user(
            username, f"{username}@mairie.test", "pw", first_name=username.capitalize()
        )
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def now():
    return timezone.now()
