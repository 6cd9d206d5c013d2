"""The CSV export of the inbox against its floor, PostgreSQL's own ``COPY`` (issue 19, volume (3)).

Generates N dossiers (1,000,000 by default; the same data as ``bench_inbox.py``), then measures
in turn, a few rounds, each in a fresh process:

- the floor: ``COPY (SELECT <the exported dossiers' columns, raw>) TO STDOUT`` through psycopg,
  read to the end: the same rows in the same order, with no formatting, no neutralisation of
  formulas and no record of the export;
- our export: ``/admin/quotients-familiaux/?export=csv`` as a superuser, through Django's test
  client, read to the end (rows/s and the peak memory of the process).

The ratio of rows/s (export / floor) of each round is printed; the target is ≥ 0.5×. On SQLite
(no ``COPY``) only the export is measured. ``--profile`` prints where a fresh export spends its
time (cProfile) and the ``EXPLAIN ANALYZE`` of the query inside the export's ``COPY``;
``--baseline DIR`` adds to each round the export of an earlier version (its ``wagtail_qf`` and
``example_site`` unpacked into DIR by ``git archive``), measured on the same data and the same
tables (this tree's migrations: a change of schema shows in both columns, not in their difference).
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import time

from bench_inbox import generate, pages
from common import ROOT, database_label, setup_django, table

ADMIN = "admin-bench"
URL = "/admin/quotients-familiaux/?export=csv"


def peak_memory_mb() -> float:
    """VmHWM, the peak resident memory of this process's own address space (ru_maxrss would
    also count the parent's memory at fork, which Linux keeps across exec)."""
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024


def our_export() -> int:
    """Rows of the admin view's CSV export, read to the end (the heading not counted)."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=ADMIN))
    response = client.get(URL)
    return sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1


def floor() -> int:
    """Rows of PostgreSQL's own CSV of the same dossiers, raw, read to the end."""
    from django.db import connection

    from wagtail_qf.dossiers.columns import export_rows
    from wagtail_qf.models import Submission

    queryset = export_rows(Submission.objects.order_by("-submitted_at", "-pk"))  # the listing's order
    select, params = queryset.query.sql_with_params()
    rows = 0
    with connection.cursor() as cursor:
        statement = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')"  # noqa: S608 -- Django's SQL
        with cursor.cursor.copy(statement, params) as copy:
            for _row in copy:  # psycopg gives one row at a time
                rows += 1
    return rows


def child(task, tree=None):
    """In the fresh process: run ``task`` and print its figures as JSON; with ``tree``, the
    export of the wagtail_qf found there (an earlier version, unpacked by ``git archive``)."""
    if tree:
        sys.path.insert(0, tree)
    setup_django(fresh=False, migrate=False)
    if task == "profile":
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(our_export)
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return
    before = peak_memory_mb()
    started = time.perf_counter()
    rows = {"floor": floor, "export": our_export}[task]()
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_memory_mb(), "before_mb": before}))


def fresh(task, tree=None) -> dict:
    command = [sys.executable, __file__, "--child", task, *(["--tree", tree] if tree else [])]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    if task == "profile":
        print(out.stdout)
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def forget_exports():
    """Each round records the first export of these dossiers (as the README's earlier figures
    did): the previous rounds' exports removed, their table emptied (no dead rows left)."""
    from django.db import connection

    from wagtail_qf.models import Export, ExportedSubmission

    empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    with connection.cursor() as cursor:
        cursor.execute(f"{empty} {ExportedSubmission._meta.db_table}")
    Export.objects.all().delete()


def explain():
    """The plan of the query inside our export's ``COPY``, with its timings."""
    from django.db import connection

    from wagtail_qf.admin.exports import copy_statement
    from wagtail_qf.dossiers.columns import export_columns, export_rows
    from wagtail_qf.models import Submission

    queryset = export_rows(Submission.objects.select_related("page").order_by("-submitted_at", "-pk"))
    with connection.cursor() as cursor:
        statement, params = copy_statement(export_columns(), queryset, cursor.cursor.connection)
        query = statement.removeprefix("COPY (").rsplit(") TO STDOUT", 1)[0]
        cursor.execute(f"EXPLAIN (ANALYZE, VERBOSE, BUFFERS) {query}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def measure(rounds, baseline=None):
    """Each round: the floor, then our export (and the baseline's), in fresh processes."""
    from django.db import connection

    on_postgresql = connection.vendor == "postgresql"
    rows, ratios = [], {"ours": [], "baseline": []}
    for index in range(1, rounds + 1):
        floor_speed = None
        if on_postgresql:
            yardstick = fresh("floor")
            floor_speed = yardstick["rows"] / yardstick["seconds"]
        line = [index, f"{floor_speed:,.0f}" if floor_speed else "–"]
        for name, tree in [("ours", None), ("baseline", baseline)][: 2 if baseline else 1]:
            forget_exports()
            export = fresh("export", tree)
            speed = export["rows"] / export["seconds"]
            line += [f"{speed:,.0f}"]
            if floor_speed:
                assert yardstick["rows"] == export["rows"], (yardstick["rows"], export["rows"])
                ratios[name].append(speed / floor_speed)
                line[-1] += f" ({ratios[name][-1]:.2f}×)"
            line.append(f"{export['peak_mb']:.0f} MB (at start {export['before_mb']:.0f} MB)")
        rows.append(line)
    headers = ["round", "floor: COPY, raw", "our export (ratio)", "peak memory"]
    if baseline:
        headers += ["baseline's export (ratio)", "its peak memory"]
    table(
        f"CSV export of {export['rows']:,} dossiers, {database_label()} (rows/s; targets: ≥ 0.5× the floor, < 150 MB)",
        headers,
        rows,
    )
    for name, values in ratios.items():
        if values:
            print(f"\n{name}: median ratio {statistics.median(values):.2f}× (target ≥ 0.5×)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also the export of the wagtail_qf in DIR, e.g. "
        "an earlier commit: git archive <commit> wagtail_qf example_site | tar -x -C DIR",
    )
    parser.add_argument("--child", choices=["floor", "export", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tree)
        sys.exit()
    setup_django(fresh=False)
    print(f"\n## Export – {database_label()}")
    generate(args.dossiers, [page.pk for page in pages()])
    from django.contrib.auth.models import User

    if not User.objects.filter(username=ADMIN).exists():
        User.objects.create_superuser(ADMIN, "x@b.test", "pw")
    if args.profile:
        forget_exports()
        fresh("profile")
        explain()
    measure(args.rounds, args.baseline)
