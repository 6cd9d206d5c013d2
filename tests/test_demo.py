"""The demo content of ``make demo``: created once, repeatable."""

import pytest
from django.core.management import call_command

from wagtail_qf.models import QFTransmissionPage

pytestmark = pytest.mark.django_db


def test_demo_creates_a_commune_page_and_an_intercommunal_page(client):
    call_command("qf_demo", stdout=open("/dev/null", "w"))
    call_command("qf_demo", stdout=open("/dev/null", "w"))  # again: nothing doubled
    main = QFTransmissionPage.objects.get(slug="quotient-familial")
    metropole = QFTransmissionPage.objects.get(slug="quotient-familial-intercommunal")
    assert main.allow_identity_form and main.live
    assert [c.name for c in metropole.served_communes.all()] == [
        "Cesson-Sévigné",
        "Betton",
        "Acigné",
        "Thorigné-Fouillard",
    ]
    start = client.get(metropole.url).content.decode()
    assert "Betton (35830)" in start
    assert "Continuer sans FranceConnect" in client.get(main.url).content.decode()


def test_favicon_ico_leads_to_the_shipped_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("wagtail_qf/favicon.svg")


def test_demo_gives_agents_with_their_rights_and_a_dossier_in_every_status(client):
    """What a webmaster or an agent needs to try every feature: a dossier in each of the seven
    statuses, an agent of the commune, a read-only agent, an agent of the intercommunal page, with
    the logins the command prints; run twice, nothing doubled."""
    from io import StringIO

    from django.contrib.auth import get_user_model

    from wagtail_qf.admin.permissions import permission_policy
    from wagtail_qf.dossiers.access import submissions_for_user
    from wagtail_qf.models import Submission, SubmissionStatus

    out = StringIO()
    call_command("qf_demo", stdout=out)
    call_command("qf_demo", stdout=StringIO())
    main = QFTransmissionPage.objects.get(slug="quotient-familial")
    metropole = QFTransmissionPage.objects.get(slug="quotient-familial-intercommunal")
    statuses = sorted(Submission.objects.filter(page=main).values_list("status", flat=True))
    assert statuses == sorted(SubmissionStatus.values)  # each status once, not doubled
    assert Submission.objects.filter(page=metropole).exists()

    users = get_user_model().objects
    agent, reader, other = (users.get(username=name) for name in ("agent", "lecteur", "agent-intercommunal"))
    for user in (agent, reader, other):
        assert f"{user.username} / {user.username}" in out.getvalue()
        assert client.login(username=user.username, password=user.username)
        assert client.get("/admin/").status_code == 200
    assert "admin / admin" in out.getvalue()
    assert set(submissions_for_user(agent).values_list("page", flat=True)) == {main.pk}
    assert set(submissions_for_user(other).values_list("page", flat=True)) == {metropole.pk}
    assert permission_policy.user_has_permission(agent, "change")
    assert permission_policy.user_has_permission(agent, "export")
    assert permission_policy.user_has_permission(reader, "view")
    assert not permission_policy.user_has_permission(reader, "change")
    assert not permission_policy.user_has_permission(reader, "export")


def test_every_demo_dossier_opens_in_the_admin_and_its_history_shows_its_path(client):
    from django.urls import reverse

    from wagtail_qf.models import Submission

    call_command("qf_demo", stdout=open("/dev/null", "w"))
    client.login(username="admin", password="admin")
    inbox = client.get(reverse("wagtail_qf_submissions:index"))
    assert inbox.status_code == 200
    for dossier in Submission.objects.all():
        page = client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]))
        assert page.status_code == 200, dossier.status
        assert dossier.family_name in page.content.decode()
    awaiting = Submission.objects.get(status="awaiting")
    html = client.get(reverse("wagtail_qf_submissions:inspect", args=[awaiting.pk])).content.decode()
    assert "l&#x27;école de chacun de vos enfants" in html or "l'école de chacun de vos enfants" in html


def test_demo_refuses_a_production_site():
    """Its logins (admin / admin, agent / agent…) must never land in a production database."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError
    from django.test import override_settings

    for settings in (
        {"ALLOWED_HOSTS": ["qf.mairie-exemple.fr"]},
        {"SETTINGS_MODULE": "example_site.settings.production"},
    ):
        with override_settings(**settings), pytest.raises(CommandError, match="production"):
            call_command("qf_demo", stdout=open("/dev/null", "w"))
    assert not get_user_model().objects.exists()


def test_demo_volume_has_dossiers_in_every_status():
    from wagtail_qf.models import Submission, SubmissionStatus

    call_command("qf_demo", stdout=open("/dev/null", "w"))
    Submission.objects.all().delete()
    call_command("qf_demo_dossiers", "--count", "300", stdout=open("/dev/null", "w"))
    assert set(Submission.objects.values_list("status", flat=True)) == set(SubmissionStatus.values)
