"""Features a page does not use cost its citizens nothing: no query for them on each step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_qf.models import ServedCommune

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db


def _tables(captured):
    return " ".join(q["sql"] for q in captured.captured_queries)


def test_a_single_commune_page_without_editor_webhooks_queries_neither(
    client, qf_page, logged_in, django_capture_on_commit_callbacks
):
    token = logged_in(qf_page, family_result())
    session = client.session  # as the callback leaves it: the bracket worked out with the result
    session["wagtail_qf"]["pages"][str(qf_page.pk)]["bracket"] = ""
    session.save()
    client.get(qf_page.url + "quotient/")
    with CaptureQueriesContext(connection) as step:
        assert client.get(qf_page.url + "quotient/").status_code == 200
    from wagtail_qf.api.webhooks import any_webhook

    any_webhook()  # remembered from an earlier transmission
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    with CaptureQueriesContext(connection) as post, django_capture_on_commit_callbacks(execute=True):
        assert client.post(qf_page.url + "quotient/", data).status_code == 302
    assert "servedcommune" not in _tables(step) and "tariffbracket" not in _tables(step)
    assert "servedcommune" not in _tables(post) and "editortoken" not in _tables(post)


def test_the_page_knows_whether_it_serves_several_communes(qf_page):
    commune = ServedCommune(page=qf_page, cog="35024")
    commune.clean()
    commune.save()  # on its own, not through the page
    qf_page.refresh_from_db()
    assert qf_page.serves_several_communes
    commune.delete()
    qf_page.refresh_from_db()
    assert not qf_page.serves_several_communes
    qf_page.served_communes.add(ServedCommune(cog="35001", name="Acigné", postcode="35690"))
    qf_page.save()  # through the page, as publishing does
    assert type(qf_page).objects.get(pk=qf_page.pk).serves_several_communes


def test_a_step_reads_the_page_language_without_a_query_of_its_own(client, qf_page, logged_in):
    """Every step writes the page's language (``lang`` when the visitor reads another one): the
    page's locale comes with its row when Wagtail routes to it, not by a query of its own."""
    logged_in(qf_page, family_result())
    client.get(qf_page.url + "quotient/")
    with CaptureQueriesContext(connection) as step:
        assert client.get(qf_page.url + "quotient/").status_code == 200
    alone = [q["sql"] for q in step.captured_queries if q["sql"].startswith('SELECT "wagtailcore_locale"')]
    assert alone == []
