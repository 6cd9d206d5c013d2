"""The one way tests make a QF page, a dossier, an agent, an editor's token (factory_boy) and
the family API Particulier answers with.

The fixtures of ``tests/conftest.py`` (``make_qf_page``, ``make_submission``, ``make_agent``,
``make_token``) are thin wrappers of these, kept because many tests use them.
"""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from factory.django import DjangoModelFactory
from wagtail.models import GroupPagePermission, Site

from wagtail_qf.models import EditorToken, QFTransmissionPage, Submission

from .fakes.families import CHILDREN, IDENTITY, family_result  # noqa: F401 -- re-exported for the tests
from .testapp.models import TownHallQFPage


def _site_root():
    return Site.objects.get(is_default_site=True).root_page


class QFPageFactory(wagtail_factories.PageFactory):
    """A published QF page of Cesson-Sévigné under the default site's root page
    (``parent=`` for another place; ``publish=False`` for a draft)."""

    title = "Quotient familial"
    slug = "quotient-familial"
    parent = factory.LazyFunction(_site_root)
    commune_name = "Cesson-Sévigné"
    commune_cog = "35051"
    commune_postcode = "35510"
    siret = "21350051800013"

    class Meta:
        model = QFTransmissionPage
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create and extracted is not False:
            page.save_revision().publish()
            page.refresh_from_db()  # as published (live revision, no unpublished changes)


class TownHallQFPageFactory(QFPageFactory):
    """The town hall's own page type (``tests/testapp``): Betton, its opening hours and a
    30-day retention."""

    title = "Quotient familial – mairie de Betton"
    slug = "qf-betton"
    commune_name = "Betton"
    commune_cog = "35024"
    commune_postcode = "35830"
    siret = "21350024500013"
    opening_hours = "du lundi au vendredi, 9 h – 12 h"
    retention_days = 30

    class Meta:
        model = TownHallQFPage


class SubmissionFactory(DjangoModelFactory):
    """A dossier transmitted through FranceConnect: DUPONT Paul Louis, QF 1,234 € (CAF,
    November 2026), one child; status « new » unless told.

    ``without_franceconnect=True``: a dossier of the identity form waiting for its check
    (no QF yet, no child found), the ``declared_children`` as the family typed them."""

    page = factory.SubFactory(QFPageFactory, slug=factory.Sequence(lambda n: f"qf-dossiers-{n}"))
    submission_token = factory.Sequence(lambda n: f"t{n}")
    family_name = "DUPONT"
    given_names = "Paul Louis"
    birthdate = datetime.date(1980, 6, 15)
    qf_value = 1234
    qf_year = 2026
    qf_month = 11
    qf_provider = "CNAF"
    children = factory.LazyFunction(
        lambda: [{"nom_naissance": "DUPONT", "prenoms": "JEAN", "date_naissance": "2012-03-04"}]
    )

    class Meta:
        model = Submission

    class Params:
        without_franceconnect = factory.Trait(
            source="identity",
            lookup="pending",
            gender="male",
            birthplace="26086",
            birthcountry="99100",
            email="famille@example.org",
            qf_value=None,
            qf_year=None,
            qf_month=None,
            qf_provider="",
            children=[],
        )


class AgentFactory(DjangoModelFactory):
    """A commune's agent: admin access, ``perms`` on the dossiers, and the right to edit
    ``pages`` (so they see those pages' dossiers)."""

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@mairie.test")
    first_name = factory.LazyAttribute(lambda user: user.username.capitalize())
    password = "pw"  # noqa: S105 -- a test password
    pages = ()
    perms = ("change_submission", "export_submission")

    class Meta:
        model = get_user_model()

    @classmethod
    def _create(cls, model_class, *args, pages=(), perms=(), **fields):
        user = model_class.objects.create_user(*args, **fields)
        group = Group.objects.create(name=f"Agents {user.username}")
        for codename in ("access_admin", *perms):
            group.permissions.add(Permission.objects.get(codename=codename))
        change_page = Permission.objects.get(codename="change_page")
        for page in pages:
            GroupPagePermission.objects.create(group=group, page=page, permission=change_page)
        user.groups.add(group)
        return user


class EditorTokenFactory(DjangoModelFactory):
    """A software editor's token reading ``pages``; its clear value is ``token.clear``."""

    name = "Éditeur X"
    pages = ()

    class Meta:
        model = EditorToken

    @classmethod
    def _create(cls, model_class, *args, pages=(), **fields):
        token = model_class(*args, **fields)
        token.clear = token.set_new_token()
        token.full_clean()
        token.save()
        token.pages.set(pages)
        return token


def serve_communes(page, cogs):
    """``page`` made intercommunal: it serves the communes ``cogs`` (COG codes), in this order,
    their names and postcodes from the reference data."""
    from wagtail_qf.models import ServedCommune

    for order, cog in enumerate(cogs):
        commune = ServedCommune(page=page, sort_order=order, cog=cog)
        commune.clean()  # name and postcode from the reference data
        commune.save()
    return page


def page_editor_data(page, served=()):
    """What the page editor sends to publish ``page`` as it is, with the served communes ``served``
    (``(cog, siret)`` rows; name and postcode left for the reference data to fill)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "commune_name": page.commune_name,
        "commune_cog": page.commune_cog,
        "commune_postcode": page.commune_postcode,
        "siret": page.siret,
        "month_rule": "current",
        "source_qf": "on",
        "require_qf": "on",
        "income_year_rule": "last",
        "bracket_basis": "qf",
        "collect_children": "on",
        "texts-count": "0",
        "tariff_brackets-TOTAL_FORMS": "0",
        "tariff_brackets-INITIAL_FORMS": "0",
        "tariff_brackets-MIN_NUM_FORMS": "0",
        "tariff_brackets-MAX_NUM_FORMS": "1000",
        "served_communes-TOTAL_FORMS": str(len(served)),
        "served_communes-INITIAL_FORMS": "0",
        "served_communes-MIN_NUM_FORMS": "0",
        "served_communes-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }
    for i, (cog, siret) in enumerate(served):
        data.update(
            {
                f"served_communes-{i}-cog": cog,
                f"served_communes-{i}-name": "",
                f"served_communes-{i}-postcode": "",
                f"served_communes-{i}-siret": siret,
                f"served_communes-{i}-ORDER": str(i + 1),
            }
        )
    return data
