"""Two application servers sharing one Redis and one PostgreSQL behave as one site: rate
limits are global, a journey survives being served alternately by both, the inbox counts
are fresh on one server after a change on the other, and each task runs once although two
task workers watch the queue. The deployment: tests.production.cluster (README « Deux
serveurs, un Redis, un PostgreSQL »)."""

import re
import time

from .cluster import (
    AGENT,
    AGENT_PASSWORD,
    PAGE,
    Steps,
    dossier_count,
    field,
    journey,
    load,
    lost_and_duplicated,
    post,
)

INBOX = "/admin/quotients-familiaux/"


def status_counts(html: str) -> dict[str, int]:
    """The counts of the inbox's status tabs, by label."""
    tabs = re.findall(
        r'class="w-tabs__tab[^"]*"[^>]*>([^<]+?) <span class="w-status[^"]*">(\d+)</span>', html
    )
    return {label: int(count) for label, count in tabs}


def test_rate_limits_count_the_requests_of_both_servers_together(cluster):
    if time.time() % 60 > 50:  # the login limit is per minute: start in a fresh window
        time.sleep(61 - time.time() % 60)
    with cluster.citizen(900) as http:
        codes = [http.get(PAGE + "connexion/").status_code for _ in range(24)]
        served = http._transport.served
    assert set(served) == {0, 1}  # half on each server
    assert codes == [302] * 20 + [429] * 4  # 20 a minute in all (the default), not 20 per server
    with cluster.citizen(901) as other:  # another citizen behind the same load balancer
        assert other.get(PAGE + "connexion/").status_code == 302


def test_a_journey_served_alternately_by_both_servers_ends_with_one_dossier(cluster):
    with cluster.citizen(1) as http:
        reference = journey(http, "test_ELSA", Steps())
        served = http._transport.served
    assert served == [0, 1, 0, 1, 0, 1, 0]  # page, login, callback, consent, QF, transmission, confirmation
    assert cluster.sql("SELECT count(*) FROM wagtail_qf_submission WHERE reference = %s", reference) == [(1,)]


def test_inbox_counts_are_fresh_on_one_server_after_a_change_on_the_other(cluster):
    with cluster.citizen(2) as http:
        reference = journey(http, "test_FABIEN", Steps())
    [(pk,)] = cluster.sql("SELECT id FROM wagtail_qf_submission WHERE reference = %s", reference)
    # Unfiltered: the counters kept by the database; searched: counted, then cached (Redis).
    listings = [INBOX, f"{INBOX}?q={reference}"]
    with cluster.citizen(3, server=0) as server_a, cluster.citizen(3, server=1) as server_b:
        for agent in (server_a, server_b):
            login = agent.get("/admin/login/")
            credentials = {"username": AGENT, "password": AGENT_PASSWORD}
            token = field(login.text, "csrfmiddlewaretoken")
            assert (
                post(agent, "/admin/login/", {**credentials, "csrfmiddlewaretoken": token}).status_code == 302
            )
        before = [status_counts(server_b.get(listing).text) for listing in listings]
        inbox = server_a.get(INBOX).text
        changed = post(
            server_a,
            INBOX + "bulk/",
            {"csrfmiddlewaretoken": field(inbox, "csrfmiddlewaretoken"), "ids": [pk], "status": "done"},
        )
        assert changed.status_code == 302
        after = [status_counts(server_b.get(listing).text) for listing in listings]
    assert before[1]["Nouveau"] == after[1]["Traité"] == 1
    assert after[1]["Nouveau"] == before[1]["Traité"] == 0
    assert after[0]["Nouveau"] == before[0]["Nouveau"] - 1
    assert after[0]["Traité"] == before[0]["Traité"] + 1


def test_each_notification_is_sent_once_by_two_task_workers(cluster):
    references, errors, _ = load(cluster, 10, 4, Steps())
    assert not errors
    cluster.wait_for_tasks()
    sent = [int(pk) for mail in cluster.sent_emails() for pk in re.findall(r"/inspect/(\d+)/", mail)]
    dossiers = [pk for (pk,) in cluster.sql("SELECT id FROM wagtail_qf_submission")]
    assert len(dossiers) >= len(references) == 10
    assert sorted(sent) == sorted(dossiers)  # every dossier's notification, each exactly once


def test_a_hundred_journeys_on_both_servers_lose_and_duplicate_nothing(cluster):
    before = dossier_count(cluster)
    references, errors, _ = load(cluster, 100, 8, Steps())
    assert errors == []
    assert len(references) == len(set(references)) == 100
    assert lost_and_duplicated(cluster, references, before) == (0, 0)
