"""Who sees which dossiers: the permission policy and the helpers every admin view goes through."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from wagtail import hooks

from wagtail_qf.admin.permissions import permission_policy as policy
from wagtail_qf.dossiers import access as permissions
from wagtail_qf.models import EditorToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(two_communes, make_agent, make_submission, django_user_model):
    home_a, page_a, home_b, page_b = two_communes
    inactive = make_agent("parti", home_a)
    inactive.is_active = False
    inactive.save()
    # Holds the model permissions but may edit no page: sees no dossier.
    stranger = django_user_model.objects.create_user("inconnu", "inconnu@mairie.test", "pw")
    group = Group.objects.create(name="Sans page")
    group.permissions.add(*Permission.objects.filter(codename__in=["change_submission", "export_submission"]))
    stranger.groups.add(group)
    return {
        "agent_a": make_agent("sandrine", home_a),
        "reader_a": make_agent("lecteur", home_a, perms=()),
        "agent_b": make_agent("rennais", home_b),
        "inactive": inactive,
        "stranger": stranger,
        "superuser": django_user_model.objects.create_superuser("root", "root@mairie.test", "pw"),
        "mine": make_submission(page_a),
        "theirs": make_submission(page_b, family_name="DURAND"),
        "page_a": page_a,
        "page_b": page_b,
        "home_a": home_a,
    }


def fresh(user):
    """The user as a new request sees it (``has_pages`` is remembered on the object)."""
    return type(user).objects.get(pk=user.pk)


# (user, action, allowed)
RIGHTS = [
    ("superuser", "view", True),
    ("superuser", "change", True),
    ("superuser", "export", True),
    ("superuser", "add", False),
    ("superuser", "delete", True),  # as the code says: everything but add
    ("agent_a", "view", True),
    ("agent_a", "change", True),
    ("agent_a", "export", True),
    ("agent_a", "add", False),
    ("agent_a", "delete", False),
    ("reader_a", "view", True),
    ("reader_a", "change", False),
    ("reader_a", "export", False),
    ("stranger", "view", False),
    ("stranger", "change", False),
    ("stranger", "export", False),
    ("inactive", "view", False),
    ("inactive", "change", False),
    ("inactive", "export", False),
]


@pytest.mark.parametrize("who, action, allowed", RIGHTS)
def test_user_has_permission(people, who, action, allowed):
    assert policy.user_has_permission(fresh(people[who]), action) is allowed


@pytest.mark.parametrize(
    "who, actions, allowed",
    [
        ("reader_a", ["change", "view"], True),
        ("reader_a", ["change", "export"], False),
        ("stranger", ["view", "change"], False),
        ("agent_a", ["add", "delete"], False),
    ],
)
def test_user_has_any_permission(people, who, actions, allowed):
    assert policy.user_has_any_permission(fresh(people[who]), actions) is allowed


@pytest.mark.parametrize(
    "who, visible",
    [
        ("agent_a", {"mine"}),
        ("agent_b", {"theirs"}),
        ("reader_a", {"mine"}),
        ("superuser", {"mine", "theirs"}),
        ("stranger", set()),
        ("inactive", set()),
    ],
)
def test_each_agent_sees_only_the_dossiers_of_the_pages_they_may_edit(people, who, visible):
    user = fresh(people[who])
    expected = {people[name].pk for name in visible}
    found = policy.instances_user_has_any_permission_for(user, ["view"])
    assert isinstance(found, QuerySet)  # views chain filters on it
    assert set(found.values_list("pk", flat=True)) == expected
    assert set(permissions.submissions_for_user(user).values_list("pk", flat=True)) == expected


def test_without_any_of_the_actions_no_dossier_is_listed(people):
    found = policy.instances_user_has_any_permission_for(fresh(people["reader_a"]), ["change", "export"])
    assert isinstance(found, QuerySet) and not found.exists()


@pytest.mark.parametrize(
    "who, action, dossier, allowed",
    [
        ("agent_a", "change", "mine", True),
        ("agent_a", "change", "theirs", False),
        ("agent_a", "view", "theirs", False),
        ("reader_a", "view", "mine", True),
        ("reader_a", "change", "mine", False),
        ("agent_b", "view", "mine", False),
        ("superuser", "change", "theirs", True),
        ("inactive", "view", "mine", False),
    ],
)
def test_permission_for_one_dossier(people, who, action, dossier, allowed):
    user, instance = fresh(people[who]), people[dossier]
    assert policy.user_has_permission_for_instance(user, action, instance) is allowed
    assert policy.user_has_any_permission_for_instance(user, [action], instance) is allowed


def test_the_right_on_one_dossier_asks_the_database_nothing_more(people, django_assert_num_queries):
    """The dossier page checks the agent's right on its dossier (to show it, to offer changes):
    it queried the dossier again through the agent's pages each time."""
    agent, mine, theirs = fresh(people["agent_a"]), people["mine"], people["theirs"]
    assert policy.user_has_permission(agent, "change")  # the pages and model rights, once a request
    with django_assert_num_queries(0):
        assert policy.user_has_permission_for_instance(agent, "change", mine) is True
        assert policy.user_has_permission_for_instance(agent, "view", theirs) is False


def test_any_permission_for_one_dossier(people):
    reader, mine, theirs = fresh(people["reader_a"]), people["mine"], people["theirs"]
    assert policy.user_has_any_permission_for_instance(reader, ["change", "view"], mine) is True
    assert policy.user_has_any_permission_for_instance(reader, ["change", "export"], mine) is False
    assert policy.user_has_any_permission_for_instance(reader, ["change", "view"], theirs) is False


def test_only_qf_pages_count_not_the_other_pages_the_agent_may_edit(people):
    pages = permissions.pages_for_user(fresh(people["agent_a"]))
    assert list(pages.values_list("pk", flat=True)) == [people["page_a"].pk]  # not the home page


def test_the_filter_hook_narrows_what_an_agent_sees(people):
    def no_page_b_nor_a(user, pages):
        return pages.exclude(pk=people["page_a"].pk)

    agent = fresh(people["agent_a"])
    with hooks.register_temporarily("filter_qf_submissions_for_user", no_page_b_nor_a):
        assert not permissions.submissions_for_user(agent).exists()
        assert permissions.has_pages(agent) is False
        assert policy.user_has_permission(fresh(agent), "view") is False


def test_has_pages_is_remembered_for_the_request(people, django_assert_num_queries):
    agent = fresh(people["agent_a"])
    assert permissions.has_pages(agent) is True
    with django_assert_num_queries(0):
        assert permissions.has_pages(agent) is True


@pytest.mark.parametrize(
    "who, pages",
    [
        ("agent_a", {"page_a"}),
        ("superuser", {"page_a", "page_b"}),
        ("inactive", set()),
        ("stranger", set()),
    ],
)
def test_a_token_reads_no_more_than_its_author(people, who, pages):
    found = permissions.token_pages_for_user(fresh(people[who]))
    assert set(found.values_list("pk", flat=True)) == {people[name].pk for name in pages}


def test_a_token_without_author_reads_nothing(people):
    found = permissions.token_pages_for_user(None)
    assert isinstance(found, QuerySet) and not found.exists()


def test_an_agent_manages_only_the_tokens_reading_their_pages(people):
    def token(name, *pages):
        made = EditorToken(name=name)
        made.set_new_token()
        made.save()
        made.pages.set(pages)
        return made

    own = token("Cesson", people["page_a"])
    shared = token("Les deux", people["page_a"], people["page_b"])
    other = token("Rennes", people["page_b"])
    assert set(permissions.tokens_for_user(fresh(people["agent_a"]))) == {own}
    assert set(permissions.tokens_for_user(fresh(people["agent_b"]))) == {other}
    assert set(permissions.tokens_for_user(fresh(people["superuser"]))) == {own, shared, other}
