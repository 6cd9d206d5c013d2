"""Search that finds (issue 19): any name of the family in any order, accents and case
ignored, a reference however typed; never a dossier the agent may not see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers.retention import purge
from wagtail_qf.dossiers.search import matching
from wagtail_qf.models import Submission
from wagtail_qf.models.search import words

pytestmark = pytest.mark.django_db


def person(family, given, usage=""):
    return {"nom_naissance": family, "nom_usage": usage, "prenoms": given, "date_naissance": "1980-01-01"}


@pytest.fixture
def agent_a(make_agent, two_communes):
    return make_agent("sandrine", two_communes[0])


@pytest.fixture
def family(two_communes, make_submission):
    """DUPONT Paul Louis (married name MARTIN-LÉGER), with a second allocataire and two children."""
    return make_submission(
        two_communes[1],
        family_name="DUPONT",
        given_names="Paul Louis",
        usage_name="MARTIN-LÉGER",
        allocataires=[person("DUPONT", "Paul Louis"), person("NGUYỄN", "Thị Hoà", usage="DUPONT")],
        children=[person("DUPONT", "Chloé"), person("DUPONT", "Noé")],
    )


@pytest.fixture
def others(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    return {
        "a": make_submission(page_a, family_name="BERNARD", given_names="Éloïse", children=[]),
        "b": make_submission(page_b, family_name="DUPONT", given_names="Paul", children=[]),
    }


def found(client, query):
    response = client.get(reverse("wagtail_qf_submissions:index"), {"q": query})
    assert response.status_code == 200
    return {row.reference for row in response.context["object_list"]}


@pytest.mark.parametrize(
    "query",
    [
        "Dupont Paul",
        "paul dupont",
        "PAUL LOUIS DUPONT",
        "louis",
        "martin-léger",  # usage name, as written
        "martin leger",  # …without its accent nor hyphen
        "martinleger",  # …in one word
        "léger paul",
        "chloe",  # a child's first name, without its accent
        "Noé DUPONT",
        "nguyen",  # the second allocataire, without the Vietnamese marks
        "hoa thi",
        "dup",  # the start of a name, as one types
    ],
)
def test_any_name_of_the_family_in_any_order(client, agent_a, family, others, query):
    client.force_login(agent_a)
    assert found(client, query) == {family.reference}


@pytest.mark.parametrize("query", ["eloise", "ELOÏSE bernard", "Bernard"])
def test_accents_and_case_ignored(client, agent_a, family, others, query):
    client.force_login(agent_a)
    assert found(client, query) == {others["a"].reference}


@pytest.mark.parametrize("query", ["paul zorro", "ouis", "chloé martinez", "upont"])
def test_every_typed_word_must_start_a_word_of_the_dossier(client, agent_a, family, others, query):
    client.force_login(agent_a)
    assert found(client, query) == set()


@pytest.mark.parametrize(
    "typed",
    [
        lambda ref: ref,  # QF-AB23-CD45
        lambda ref: ref.lower(),
        lambda ref: ref.replace("-", ""),  # qfab23cd45
        lambda ref: ref.replace("-", " "),  # QF AB23 CD45
        lambda ref: ref[3:],  # AB23-CD45
        lambda ref: ref[3:].replace("-", " ").lower(),  # ab23 cd45
        lambda ref: ref[3:].replace("-", ""),  # AB23CD45
        lambda ref: f"  {ref[3:7]} ",  # its first half
    ],
)
def test_reference_with_or_without_hyphens_or_spaces(client, agent_a, family, others, typed):
    client.force_login(agent_a)
    assert found(client, typed(family.reference)) == {family.reference}


def test_a_dossier_the_agent_may_not_see_is_never_found(client, agent_a, family, others):
    client.force_login(agent_a)
    hidden = others["b"]  # DUPONT Paul, on commune B's page
    assert hidden.reference not in found(client, "dupont paul")
    for query in (hidden.reference, hidden.reference.replace("-", ""), hidden.reference[3:]):
        assert found(client, query) == set()


def test_the_purge_erases_the_names_and_the_reference_still_finds_the_dossier(
    client, agent_a, family, others, settings
):
    Submission.objects.filter(pk=family.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=4000)
    )
    assert purge() == 1
    family.refresh_from_db()
    assert family.search_text == ""
    client.force_login(agent_a)
    assert found(client, "dupont") == set()
    assert found(client, family.reference) == {family.reference}
    assert found(client, family.reference.replace("-", "").lower()) == {family.reference}


def test_the_search_text_follows_the_names_written_later(family):
    """The check without FranceConnect writes the family's names after the dossier was made."""
    family.children = [person("DUPONT", "Zoé")]
    family.save(update_fields=["children", "updated_at"])
    assert set(matching(Submission.objects.all(), "zoe dupont")) == {family}
    assert not matching(Submission.objects.all(), "chloe").exists()
    written = family.search_text
    family.status, family.search_text = "done", "not written"
    family.save(update_fields=["status", "updated_at"])  # a change of status leaves it alone
    family.refresh_from_db()
    assert family.search_text == written and family.status == "done"


def test_search_combines_with_the_filters_and_the_tabs(
    client, agent_a, family, two_communes, make_submission
):
    make_submission(two_communes[1], family_name="DUPONT", given_names="Anne", status="done", children=[])
    client.force_login(agent_a)
    response = client.get(reverse("wagtail_qf_submissions:index"), {"q": "dupont", "status": "done"})
    assert [row.given_names for row in response.context["object_list"]] == ["Anne"]
    tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs[""] == 2 and tabs["new"] == 1 and tabs["done"] == 1


def test_words_fold_accents_ligatures_and_punctuation():
    assert words("Jean-Éric D'ŒUVRE  Ñúñez") == ["jean", "eric", "d", "oeuvre", "nunez"]
    assert words(None) == [] and words("  --  ") == []
