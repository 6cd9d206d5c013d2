"""Complete citizen journeys under load, on the reference deployment: two application servers
(gunicorn, production settings) sharing one Redis and one PostgreSQL, two task workers, the
development providers in their own process (tests.production.cluster).

Each journey: QF page → login → FranceConnect (development provider: identity chosen) →
callback (token, userinfo, API Particulier, all over HTTP) → consent → QF → children ticked →
transmission → confirmation, each request to the other server (one cookie jar per citizen).
Reports journeys/s and the p95 of each step; counts errors, and dossiers lost or duplicated
(the dossiers of the database against the references of the journeys completed). Then the
yardstick on the same servers: plain Wagtail page views by as many citizens at once, each making
as many requests as a journey; the ratio of the journeys' requests per second to those views'. Needs
PostgreSQL (scripts/with-postgres) and Debian's redis-server. Also prints the size of a
dossier in the database (README « Dimensionnement national »).
"""

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter

from common import summary, table

from tests.production.cluster import (
    JOURNEY_REQUESTS,
    PLAIN,
    Cluster,
    Steps,
    dossier_count,
    in_parallel,
    load,
    lost_and_duplicated,
)

# The tables a dossier writes to, with their indexes and TOAST (sessions and task results
# are pruned, not kept a year).
TABLE_SIZES = """
SELECT relname, pg_total_relation_size(oid) FROM pg_class
WHERE relkind = 'r' AND (relname LIKE 'wagtail_qf_%%' OR relname IN ('django_session',
    'django_tasks_database_dbtaskresult'))
ORDER BY 2 DESC
"""


def plain_views(http, views: Steps) -> None:
    """As many views of a plain page as a journey makes requests to the application."""
    for _ in range(JOURNEY_REQUESTS):
        with views.timed("page"):
            assert http.get(PLAIN).status_code == 200


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        sys.exit("Run it on PostgreSQL: scripts/with-postgres .venv/bin/python benchmarks/bench_journeys.py")

    folder = tempfile.mkdtemp(prefix="bench-journeys-")  # the servers' logs, kept when a journey fails
    with Cluster(
        server_url, folder, servers=args.servers, workers=args.workers, threads=args.threads
    ) as cluster:
        before = dossier_count(cluster)
        steps = Steps()
        references, errors, elapsed = load(cluster, args.journeys, args.concurrency, steps)
        lost, duplicated = lost_and_duplicated(cluster, references, before)
        cluster.wait_for_tasks(seconds=600)
        sizes = cluster.sql(TABLE_SIZES)
        dossiers = dossier_count(cluster)
        views = Steps()
        _, view_errors, views_elapsed = in_parallel(
            cluster, args.journeys, args.concurrency, lambda http, _index: plain_views(http, views)
        )

    table(
        f"Complete journeys: {args.servers} servers × {args.workers} gunicorn workers × {args.threads} "
        f"threads, {args.concurrency} concurrent citizens, Redis + PostgreSQL, providers in their own process",
        ["journeys", "errors", "journeys/s", "dossiers lost", "dossiers duplicated"],
        [(len(references), len(errors), f"{len(references) / elapsed:.1f}", lost, duplicated)],
    )
    journey_requests = len(references) * JOURNEY_REQUESTS / elapsed
    plain = summary(views.durations["page"])
    plain_rate = len(views.durations["page"]) / views_elapsed
    table(
        f"Against plain Wagtail page views on the same servers ({args.concurrency} citizens at once, "
        f"{JOURNEY_REQUESTS} requests each, as a journey makes)",
        ["", "requests/s", "median (ms)", "p95 (ms)", "errors"],
        [
            ("journeys' requests", f"{journey_requests:.1f}", "", "", len(errors)),
            (
                "plain page views",
                f"{plain_rate:.1f}",
                f"{plain['median']:.0f}",
                f"{plain['p95']:.0f}",
                len(view_errors),
            ),
            ("ratio journeys / plain", f"{journey_requests / plain_rate:.2f}", "", "", ""),
        ],
    )
    table(
        "p95 per step (ms)",
        ["step", "median", "p95"],
        [
            (name, f"{stats['median']:.0f}", f"{stats['p95']:.0f}")
            for name, stats in ((name, summary(durations)) for name, durations in steps.durations.items())
        ],
    )
    table(
        f"Database size per dossier ({dossiers} dossiers, PostgreSQL, indexes included)",
        ["table", "bytes per dossier"],
        [(name, f"{size / dossiers:.0f}") for name, size in sizes if size >= 64 * 1024],
    )
    if errors or view_errors:
        print("errors:", Counter(errors + view_errors).most_common(5), "- the servers' logs:", folder)
    else:
        shutil.rmtree(folder)
    return 0 if not errors and not view_errors and not lost and not duplicated else 1


if __name__ == "__main__":
    sys.exit(main())
