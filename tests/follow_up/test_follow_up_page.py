"""« Suivre ma demande » (issue 18): the family sees its dossiers of the page again, after a new
FranceConnect login (keyed hash of the ``sub``) or through a single-use e-mailed link; never
another family's dossiers, nor another page's, nor the agents' internal comments."""

import datetime
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from wagtail_qf.dossiers import history, messages
from wagtail_qf.dossiers.retention import purge
from wagtail_qf.models import FollowUpLink, Submission, follow_up_key

from ..fakes import particulier as api
from ..fakes.franceconnect import CLIENT_ID, FakeFranceConnect

pytestmark = pytest.mark.django_db

SUB = "pairwise-" + CLIENT_ID  # the fake provider's ``sub`` of the DUPONT family
FAMILY = "famille.dupont@example.org"
MESSAGE = "Merci d'envoyer l'attestation de la CAF de mars."
COMMENT = "Famille connue du CCAS, voir dossier papier"


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


@pytest.fixture
def pages(two_communes, settings):
    """Page A (Cesson) and page B (Rennes, another site: ``HTTP_HOST="rennes.test"``)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "rennes.test"]
    return two_communes[1], two_communes[3]


def follow_up_url(page):
    """The follow-up page's path (the pages are on two sites: ``page.url`` may be absolute)."""
    return urlsplit(page.url).path + "suivi/"


def franceconnect_login(client, fc, page):
    """« Se connecter avec FranceConnect » on the follow-up page, through the fake provider."""
    response = client.post(follow_up_url(page), {"action": "franceconnect"})
    assert response.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    fc.last_authorize = params
    code = "code-" + params["state"][:8]
    fc.codes[code] = {"nonce": params["nonce"]}
    return client.get(f"{urlsplit(params['redirect_uri']).path}?code={code}&state={params['state']}")


def test_franceconnect_shows_only_this_familys_dossiers_of_this_page(
    client, fc, pages, make_submission, admin_user
):
    page_a, page_b = pages
    mine = make_submission(page_a, follow_up_key=follow_up_key(SUB), email=FAMILY)
    mine_too = make_submission(page_a, follow_up_key=follow_up_key(SUB), status="done")
    another_family = make_submission(page_a, follow_up_key=follow_up_key("pairwise-other-family"))
    typed = make_submission(page_a, without_franceconnect=True)
    same_family_other_page = make_submission(page_b, follow_up_key=follow_up_key(SUB))
    history.change_status(mine, "awaiting", admin_user)
    messages.send_message(mine, admin_user, MESSAGE, status="awaiting")
    history.add_comment(mine, admin_user, COMMENT)

    response = franceconnect_login(client, fc, page_a)
    assert response.status_code == 302 and urlsplit(response["Location"]).path == follow_up_url(page_a)
    assert fc.last_authorize["scope"] == "openid"  # no identity, no data: the ``sub`` only
    assert not fc.userinfo_route.called
    html = client.get(follow_up_url(page_a)).content.decode()
    assert mine.reference in html and mine_too.reference in html
    for hidden in (another_family, typed, same_family_other_page):
        assert hidden.reference not in html
    assert "En attente de compléments" in html and "Traité" in html
    assert "Merci d&#x27;envoyer l&#x27;attestation de la CAF de mars." in html
    assert COMMENT not in html
    # Logged in on page A only: page B's follow-up is still closed.
    html_b = client.get(follow_up_url(page_b), HTTP_HOST="rennes.test").content.decode()
    assert same_family_other_page.reference not in html_b and "Recevoir un lien" in html_b


def test_another_familys_sub_sees_no_dossier(client, fc, pages, make_submission):
    page_a, _page_b = pages
    dupont = make_submission(page_a, follow_up_key=follow_up_key(SUB))
    fc.id_token_overrides = {"sub": "pairwise-other-family"}
    assert franceconnect_login(client, fc, page_a).status_code == 302
    html = client.get(follow_up_url(page_a)).content.decode()
    assert dupont.reference not in html
    assert "Aucune demande faite sur cette page avec ce compte FranceConnect" in html


def test_the_transmission_keeps_a_keyed_hash_of_the_sub_never_the_sub(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, qf_page.url + "connexion/"))
    form = client.get(qf_page.url + "quotient/").context["form"]
    keys = [key for key, _label in form.fields["children"].choices]
    client.post(
        qf_page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": keys[:1], "confirm": "on"},
    )
    submission = Submission.objects.get()
    assert submission.follow_up_key == follow_up_key(SUB) and len(submission.follow_up_key) == 64
    row = Submission.objects.filter(pk=submission.pk).values().get()
    assert not [name for name, value in row.items() if SUB in str(value)]


def test_typed_identities_keep_no_key(make_submission, qf_page):
    # The key is written at transmission with FranceConnect only; a typed identity has no ``sub``.
    assert make_submission(qf_page, without_franceconnect=True).follow_up_key == ""


def test_the_retention_purge_empties_the_key(make_qf_page, make_submission):
    page = make_qf_page(slug="court", retention_days=30)
    old = make_submission(
        page, follow_up_key=follow_up_key(SUB), submitted_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert purge() == 1
    old.refresh_from_db()
    assert old.follow_up_key == ""


def test_the_access_ends_with_the_session_time(client, fc, pages, make_submission):
    page_a, _page_b = pages
    mine = make_submission(page_a, follow_up_key=follow_up_key(SUB))
    franceconnect_login(client, fc, page_a)
    assert mine.reference in client.get(follow_up_url(page_a)).content.decode()
    session = client.session
    session["wagtail_qf_follow_up"][str(page_a.pk)]["expires_at"] = time.time() - 1
    session.save()
    html = client.get(follow_up_url(page_a)).content.decode()
    assert mine.reference not in html and "Se connecter avec FranceConnect" in html


# -- the link by e-mail -------------------------------------------------------------------
def ask_link(client, page, email, capture):
    with capture(execute=True):
        return client.post(follow_up_url(page), {"action": "courriel", "email": email})


def link_in(email):
    return re.search(r"http://\S+suivi/\?lien=\S+", email.body).group(0)


@pytest.fixture
def by_email(pages, make_submission):
    """Page A's dossiers: two of the family (one typed in capitals), one of a neighbour; and the
    family's dossier on page B."""
    page_a, page_b = pages
    return {
        "mine": make_submission(page_a, without_franceconnect=True, email=FAMILY),
        "mine_too": make_submission(page_a, email=FAMILY.upper()),
        "neighbour": make_submission(page_a, without_franceconnect=True, email="voisin@example.org"),
        "other_page": make_submission(page_b, without_franceconnect=True, email=FAMILY),
    }


def test_a_link_opens_the_dossiers_of_that_address_on_this_page_once(
    client, pages, by_email, django_capture_on_commit_callbacks
):
    page_a, _page_b = pages
    response = ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    (email,) = mail.outbox
    # To the address of the family's latest dossier; no personal data in the subject.
    assert [address.lower() for address in email.to] == [FAMILY]
    assert FAMILY not in email.subject.lower() and by_email["mine"].reference not in email.subject
    url = link_in(email)
    token = parse_qs(urlsplit(url).query)["lien"][0]
    # The table keeps a hash of the token, never the token.
    assert not FollowUpLink.objects.filter(token_hash=token).exists()
    assert FollowUpLink.objects.get().token_hash != ""

    # Opening the link shows a button; only that POST uses it (mail scanners follow links).
    opened = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    assert opened.status_code == 200 and "Voir mes demandes" in opened.content.decode()
    assert FollowUpLink.objects.get().used_at is None
    response = client.post(follow_up_url(page_a), {"action": "lien", "lien": token})
    assert response.status_code == 302 and urlsplit(response["Location"]).path == follow_up_url(page_a)
    html = client.get(follow_up_url(page_a)).content.decode()
    assert by_email["mine"].reference in html and by_email["mine_too"].reference in html
    assert by_email["neighbour"].reference not in html and by_email["other_page"].reference not in html

    # Used twice: refused, in another browser as in the same one.
    again = client.post(follow_up_url(page_a), {"action": "lien", "lien": token})
    assert again.status_code == 400 and "Ce lien n'est plus valable" in again.content.decode()


def test_a_link_used_twice_is_refused_to_a_second_browser(
    client, pages, by_email, django_capture_on_commit_callbacks
):
    page_a, _page_b = pages
    ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    token = parse_qs(urlsplit(link_in(mail.outbox[0])).query)["lien"][0]
    assert client.post(follow_up_url(page_a), {"action": "lien", "lien": token}).status_code == 302
    other = Client()
    response = other.post(follow_up_url(page_a), {"action": "lien", "lien": token})
    assert response.status_code == 400
    assert by_email["mine"].reference not in other.get(follow_up_url(page_a)).content.decode()


def test_a_forged_link_is_refused(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, _page_b = pages
    ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    token = parse_qs(urlsplit(link_in(mail.outbox[0])).query)["lien"][0]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for candidate in (forged, "x", FollowUpLink.objects.get().token_hash):
        opened = client.get(follow_up_url(page_a), {"lien": candidate})
        assert opened.status_code == 400 and "Voir mes demandes" not in opened.content.decode()
        response = client.post(follow_up_url(page_a), {"action": "lien", "lien": candidate})
        assert response.status_code == 400
    assert by_email["mine"].reference not in client.get(follow_up_url(page_a)).content.decode()


def test_a_link_of_another_page_is_refused(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, page_b = pages
    ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    token = parse_qs(urlsplit(link_in(mail.outbox[0])).query)["lien"][0]
    response = client.post(follow_up_url(page_b), {"action": "lien", "lien": token}, HTTP_HOST="rennes.test")
    assert response.status_code == 400
    assert FollowUpLink.objects.get().used_at is None


def test_an_expired_link_is_refused(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, _page_b = pages
    with override_settings(WAGTAIL_QF={"FOLLOW_UP": {"LINK_MAX_AGE_SECONDS": 3600}}):
        ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    link = FollowUpLink.objects.get()
    assert abs((link.expires_at - link.created_at).total_seconds() - 3600) < 5
    token = parse_qs(urlsplit(link_in(mail.outbox[0])).query)["lien"][0]
    FollowUpLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(follow_up_url(page_a), {"action": "lien", "lien": token})
    assert response.status_code == 400 and "Ce lien n'est plus valable" in response.content.decode()
    assert by_email["mine"].reference not in client.get(follow_up_url(page_a)).content.decode()


def _visible(response):
    """The page as the citizen reads it (the CSRF token aside)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_an_unknown_address_gets_the_same_answer(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, _page_b = pages
    known = ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    unknown = ask_link(client, page_a, "personne@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200
    assert _visible(known) == _visible(unknown)
    assert "Si une demande faite sur cette page a été envoyée avec cette adresse" in _visible(unknown)
    assert [email.to[0].lower() for email in mail.outbox] == [FAMILY]  # nothing to the unknown address
    assert FollowUpLink.objects.count() == 1


def test_an_invalid_address_is_explained(client, pages):
    page_a, _page_b = pages
    response = client.post(follow_up_url(page_a), {"action": "courriel", "email": "dupont-at-example"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Saisissez une adresse électronique valide, par exemple nom@exemple.fr." in html
    assert 'aria-invalid="true"' in html and not mail.outbox


def test_link_requests_are_rate_limited(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, _page_b = pages
    with override_settings(WAGTAIL_QF={"RATE_LIMITS": {"follow_up": (2, 600)}}):
        for _ in range(2):
            assert (
                ask_link(
                    client, page_a, "personne@example.org", django_capture_on_commit_callbacks
                ).status_code
                == 200
            )
        assert ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks).status_code == 429
    assert not mail.outbox


def test_link_requests_for_one_address_are_rate_limited_whatever_the_client(
    client, pages, by_email, django_capture_on_commit_callbacks
):
    page_a, _page_b = pages
    with override_settings(WAGTAIL_QF={"RATE_LIMITS": {"follow_up_email": (1, 86400)}}):
        assert ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks).status_code == 200
        response = ask_link(
            Client(REMOTE_ADDR="192.0.2.7"), page_a, FAMILY.upper(), django_capture_on_commit_callbacks
        )
        assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_no_link_form_on_a_page_without_follow_up_by_email(client, make_qf_page, make_submission):
    page = make_qf_page(slug="sans-suivi", follow_up_by_email=False)
    make_submission(page, email=FAMILY)
    html = client.get(follow_up_url(page)).content.decode()
    assert "Se connecter avec FranceConnect" in html and "Recevoir un lien" not in html
    response = client.post(follow_up_url(page), {"action": "courriel", "email": FAMILY})
    assert response.status_code == 400 and not mail.outbox


def test_the_familys_emails_link_to_the_follow_up_page(pages, make_submission, admin_user):
    page_a, _page_b = pages
    dossier = make_submission(page_a, email=FAMILY)
    email = messages.build_email(dossier, {"message": MESSAGE})
    follow_up = page_a.get_full_url() + "suivi/"
    assert follow_up in email.body and f'href="{follow_up}"' in email.alternatives[0][0]


def test_leaving_the_follow_up(client, pages, by_email, django_capture_on_commit_callbacks):
    page_a, _page_b = pages
    ask_link(client, page_a, FAMILY, django_capture_on_commit_callbacks)
    token = parse_qs(urlsplit(link_in(mail.outbox[0])).query)["lien"][0]
    client.post(follow_up_url(page_a), {"action": "lien", "lien": token})
    response = client.post(follow_up_url(page_a), {"action": "deconnexion"})
    assert response.status_code == 302 and urlsplit(response["Location"]).path == follow_up_url(page_a)
    assert by_email["mine"].reference not in client.get(follow_up_url(page_a)).content.decode()


def test_leaving_a_franceconnect_follow_up_logs_out_of_franceconnect(client, fc, pages, make_submission):
    page_a, _page_b = pages
    mine = make_submission(page_a, follow_up_key=follow_up_key(SUB))
    franceconnect_login(client, fc, page_a)
    html = client.get(follow_up_url(page_a)).content.decode()
    assert "votre accès au suivi prend fin à" in html and "Se déconnecter de FranceConnect" in html
    response = client.post(follow_up_url(page_a), {"action": "deconnexion"})
    end = urlsplit(response["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == "https://fc.test/api/v2/session/end"
    assert parse_qs(end.query)["id_token_hint"][0].count(".") == 2
    assert mine.reference not in client.get(follow_up_url(page_a)).content.decode()
