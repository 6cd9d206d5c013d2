"""The page editor's « Dossiers reçus » panel counts only the dossiers the user may see.

Wagtail opens a page's editor to more people than those who see its dossiers: the reviewers of
a moderation workflow (a « relecteurs » group without any right on the page) open it while
the page awaits their approval. They must not learn how many dossiers the page received."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(django_user_model):
    group = Group.objects.create(name="Relecteurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("relectrice", "relectrice@mairie.test", "pw")
    user.groups.add(group)
    return user, group


def test_a_workflow_reviewer_sees_no_dossier_count_of_the_page(
    client, two_communes, make_agent, make_submission, reviewer
):
    _home_a, _page_a, home_b, page_b = two_communes
    user, group = reviewer
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.set([group])
    workflow = Workflow.objects.create(name="Relecture des pages")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home_b)
    for _ in range(3):
        make_submission(page_b)
    editor = make_agent("rennais", home_b)
    page_b.save_revision(user=editor)
    workflow.start(page_b, editor)

    client.force_login(user)
    response = client.get(f"/admin/pages/{page_b.pk}/edit/")
    assert response.status_code == 200  # Wagtail lets the reviewer open the page's editor
    text = response.content.decode()
    assert "3 dossiers reçus" not in text and "réservés aux agents qui la gèrent" in text

    client.force_login(editor)  # the commune's agent still sees the count
    assert "3 dossiers reçus" in client.get(f"/admin/pages/{page_b.pk}/edit/").content.decode()
